// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.PacketSelection;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A SnapshotSource the test publishes into by hand; records what the UI asks it to collect. */
final class FakeSource implements SnapshotSource {
    private volatile Snapshot latest;
    volatile int awaitCalls;
    /** What {@link #failure()} says (a replayed file that turned out damaged). */
    volatile Throwable failure;
    final List<Set<String>> wants = new CopyOnWriteArrayList<>();
    final List<PacketSelection> packetWants = new CopyOnWriteArrayList<>();

    @Override
    public void want(Set<String> sources) {
        wants.add(sources);
    }

    @Override
    public void wantPackets(PacketSelection selection) {
        packetWants.add(selection);
    }

    /** The last packet selection the UI asked for, or null if it never asked. */
    PacketSelection lastPacketWant() {
        return packetWants.isEmpty() ? null : packetWants.get(packetWants.size() - 1);
    }

    synchronized void publish(Snapshot s) {
        latest = s;
        notifyAll();
    }

    @Override
    public Snapshot latest() {
        return latest;
    }

    @Override
    public synchronized Snapshot awaitAfter(long afterSeq, long timeoutMillis) throws InterruptedException {
        awaitCalls++;
        long end = System.currentTimeMillis() + timeoutMillis;
        while ((latest == null || latest.seq() <= afterSeq) && System.currentTimeMillis() < end) {
            wait(Math.max(1, end - System.currentTimeMillis()));
        }
        return latest != null && latest.seq() > afterSeq ? latest : null;
    }

    @Override
    public String label() {
        return "Live System";
    }

    /** What {@link #availableSources()} says. */
    volatile Set<String> available = Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.PACKETS);

    @Override
    public Set<String> availableSources() {
        return available;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
    }
}
