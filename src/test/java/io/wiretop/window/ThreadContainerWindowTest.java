// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Windows on a thread and on a container, on a replayed .scap: process 100 (threads 100 and 101)
 * runs in a container (its process-list cgroups name it), process 200 on the host; each thread
 * writes once. A thread's window shows that thread's events only; a container's (by the 12-digit id
 * the tables show) those of its processes, whichever thread.
 */
class ThreadContainerWindowTest {
    private static final String ID = "4f1c2a9d3e7b" + "0".repeat(52);
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    private static ScapHead.Thread thread(long tid, long pid, String comm, String cgroups) {
        return new ScapHead.Thread(tid, pid, 1, pid, pid, comm, "/bin/" + comm, "/bin/" + comm, new byte[0], "/", 1024,
                0, 0, 0, 0, 0, 0, 0, 0, new byte[0], tid, pid, cgroups.getBytes(StandardCharsets.UTF_8), "/", -1, 0, 0);
    }

    private Path capture() throws Exception {
        Path f = dir.resolve("ctr.scap");
        String inCtr = "cpu=/system.slice/docker-" + ID + ".scope\0", host = "cpu=/user.slice\0";
        ScapHead head = new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0), List.of(), List.of(), List.of(),
                List.of(thread(100, 100, "app", inCtr), thread(101, 100, "app", inCtr), thread(200, 200, "sh", host)),
                Map.of());
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head);
            long t = T0;
            for (long tid : new long[] {100, 101, 200}) {
                byte[] d = ("from " + tid).getBytes(StandardCharsets.US_ASCII);
                w.event().begin(t++, tid, 0, 8, 2).i64(1).u32(d.length).end(); // write enter
                w.event().begin(t++, tid, 0, 9, 2).i64(d.length).bytes(d, 0, d.length).end();
            }
        }
        return f;
    }

    private List<WindowEvent> events(Path f, WindowSelection sel) throws Exception {
        ScapWindowSource s = ScapWindowSource.start(f, sel, ZoneOffset.UTC);
        s.await(30_000);
        List<WindowEvent> out = new ArrayList<>();
        s.drain().forEach(out::addAll);
        return out;
    }

    /** The replay's Containers view has the container: its processes' info names it from their cgroups. */
    @Test
    void theReplayNamesEachProcesssContainer() throws Exception {
        io.wiretop.trace.FeedRun.Result r = io.wiretop.trace.FeedRun.run(io.wiretop.trace.TraceFeeds.open(capture(), 0),
                new io.wiretop.engine.Demand(Set.of(io.wiretop.model.Snapshot.PROCESSES), io.wiretop.model.PacketSelection.NONE));
        java.util.Map<Long, Object> containers = new java.util.TreeMap<>();
        for (io.wiretop.model.Row row : r.last().rows(io.wiretop.model.Snapshot.PROCESSES)) {
            containers.put((Long) row.get("proc.pid"), row.get("container.id"));
        }
        assertEquals(Map.of(100L, ID.substring(0, 12), 200L, "host"), containers);
    }

    @Test
    void aThreadsWindowShowsThatThreadOnly() throws Exception {
        List<WindowEvent> got = events(capture(), WindowSelection.thread(100, 101, "thread.tid=101"));
        assertEquals(List.of(101L, 101L), got.stream().map(w -> w.event().tid()).toList());
    }

    @Test
    void aContainersWindowShowsItsProcessesWhicheverThread() throws Exception {
        Path f = capture();
        List<WindowEvent> got = events(f, WindowSelection.container(ID.substring(0, 12), Set.of(), "container.id=x"));
        assertEquals(List.of(100L, 100L, 101L, 101L), got.stream().map(w -> w.event().tid()).toList());
        assertEquals(List.of(), events(f, WindowSelection.container("0123456789ab", Set.of(), "x")), "another container");
    }
}
