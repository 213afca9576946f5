// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.bpf.BpfObject;
import io.wiretop.it.KernelHarness;
import io.wiretop.model.Cleanup;
import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real BPF, real traffic, read by {@link NetTable} as the live feed reads it: per-pid NET totals are
 * exact through every path of net.bpf.c's socket table. With a table of 2 slots nearly every socket
 * collides and is counted in the hash; with the built size nearly every one has a slot, and its
 * final counts reach user space through the release hook's copy (short connections, exits); without
 * the table (hosts without cgroup v2) every socket is in the hash. Midway
 * every socket is retired, as the aggregator retires idle ones: later reads must count from there,
 * neither again nor less; at the end, every workload process is retired as gone: nothing of theirs
 * may come back.
 */
class NetTableKernelIT {

    @Test
    void tableHeldEverySocketCollides() throws Exception {
        exactThroughout(1);
    }

    @Test
    void builtTableSocketsHaveSlots() throws Exception {
        exactThroughout(0);
    }

    @Test
    void noTableEverySocketInTheHash() throws Exception {
        exactThroughout(LiveFeed.NO_SLOTS);
    }

    private static void exactThroughout(int slots) throws Exception {
        KernelHarness.requireRoot();
        List<BpfObject> objs = new ArrayList<>();
        java.net.ServerSocket listener = null;
        java.net.Socket[] held = null;
        try {
            BpfObject net = LiveFeed.loadNet(objs, slots);
            NetTable table = new NetTable(net);
            if (slots == 1) { // this JVM's socket takes the one slot: every workload socket collides
                listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held = holdOnlySlot(net, listener);
            }
            table.read();
            List<KernelHarness.Moved> moved = new ArrayList<>();
            moved.addAll(KernelHarness.runWorkload("burst", "30", "3000"));
            moved.addAll(KernelHarness.runWorkload("shared", "100000", "50000"));
            moved.addAll(KernelHarness.runWorkload("udp", "4", "40", "700"));
            moved.addAll(KernelHarness.runWorkload("tcp", "6", "300000", "7000"));
            CompletableFuture<List<KernelHarness.Moved>> stream = CompletableFuture.supplyAsync(() -> {
                try {
                    return KernelHarness.runWorkload("stream", "3");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            List<KernelSample.Conn> mid = table.read();
            Set<Cleanup.ConnRef> every = new HashSet<>();
            mid.forEach(c -> every.add(new Cleanup.ConnRef(c.id(), c.cookie())));
            table.apply(Set.of(), every); // every socket retired, as the aggregator retires idle ones
            moved.addAll(stream.get());
            List<KernelSample.Conn> end = table.read();
            Map<Long, long[]> total = byPid(mid);
            byPid(end).forEach((pid, v) -> total.merge(pid, v, (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]}));
            for (KernelHarness.Moved m : moved) {
                long[] got = total.getOrDefault(m.pid(), new long[2]);
                String who = "slots " + slots + ": " + m.role() + " pid " + m.pid();
                assertEquals(m.netIn(), got[0], who + ": NET in");
                assertEquals(m.netOut(), got[1], who + ": NET out");
            }
            Set<ProcessId> gone = new HashSet<>();
            end.forEach(c -> {
                if (moved.stream().anyMatch(m -> m.pid() == c.id().pid())) {
                    gone.add(c.id());
                }
            });
            assertTrue(!gone.isEmpty(), "the workloads were read");
            table.apply(gone, Set.of());
            for (KernelSample.Conn c : table.read()) {
                assertTrue(!gone.contains(c.id()), "a gone process's socket came back: " + c);
            }
            assertEquals(0, net.perCpuSums("lost", WireLayout.LOST_SLOTS)[1], "no socket lost for want of room");
            if (slots == LiveFeed.NO_SLOTS) {
                io.wiretop.bpf.MappedArray table0 = net.mappedArray("slots", WireLayout.SLOT_SIZE);
                for (int i = 0; i < table0.entries(); i++) {
                    assertEquals(0, table0.getLong(i, 0), "no table: slot " + i + " was never claimed");
                }
            }
            if (held != null) {
                assertEquals(ProcessHandle.current().pid(), net.mappedArray("slots", WireLayout.SLOT_SIZE)
                        .getInt(0, WireLayout.SLOT_TGID), "the one slot was this JVM's throughout");
            }
        } finally {
            if (held != null) {
                held[0].close();
                held[1].close();
            }
            if (listener != null) {
                listener.close();
            }
            for (int i = objs.size() - 1; i >= 0; i--) {
                objs.get(i).close();
            }
        }
    }

    /** A loopback connection of this JVM whose I/O claimed the table's one slot (another process may hold it a while). */
    private static java.net.Socket[] holdOnlySlot(BpfObject net, java.net.ServerSocket listener) throws Exception {
        io.wiretop.bpf.MappedArray slot = net.mappedArray("slots", WireLayout.SLOT_SIZE);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.net.Socket c = new java.net.Socket(listener.getInetAddress(), listener.getLocalPort());
            java.net.Socket s = listener.accept();
            c.getOutputStream().write(1);
            s.getInputStream().read();
            if (slot.getInt(0, WireLayout.SLOT_TGID) == ProcessHandle.current().pid()) {
                return new java.net.Socket[]{c, s};
            }
            c.close();
            s.close();
            Thread.sleep(50);
        }
        throw new AssertionError("the table's one slot stayed another process's for 30 s");
    }

    private static Map<Long, long[]> byPid(List<KernelSample.Conn> conns) {
        Map<Long, long[]> out = new HashMap<>();
        for (KernelSample.Conn c : conns) {
            long[] v = out.computeIfAbsent(c.id().pid(), p -> new long[2]);
            v[0] += c.bytesIn();
            v[1] += c.bytesOut();
        }
        return out;
    }
}
