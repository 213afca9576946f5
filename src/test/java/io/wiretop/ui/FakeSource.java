// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;

import java.util.Set;

/** A SnapshotSource the test publishes into by hand. */
final class FakeSource implements SnapshotSource {
    private volatile Snapshot latest;
    volatile int awaitCalls;

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

    @Override
    public Set<String> availableSources() {
        return Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS);
    }

    @Override
    public void close() {
    }
}
