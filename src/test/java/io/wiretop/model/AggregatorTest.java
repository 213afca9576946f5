// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deltas, rates, identities and cleanup, on scripted kernel samples and /proc scans. */
class AggregatorTest {
    private static final long SEC = 1_000_000_000L;
    private final Map<ProcessId, ProcessInfo> procfs = new HashMap<>();
    private final Map<ProcessId, String> cgroupNow = new HashMap<>();
    private Aggregator agg;

    @BeforeEach
    void setUp() {
        agg = new Aggregator(new InfoSource() {
            @Override
            public ProcessInfo read(ProcessId id) {
                return procfs.get(id);
            }

            @Override
            public String userName(long uid) {
                return uid == 0 ? "root" : "u" + uid;
            }

            @Override
            public String containerNow(ProcessId id) {
                return cgroupNow.get(id);
            }

            @Override
            public String fdTarget(long pid, int fd) {
                return "/var/log/f" + fd;
            }
        });
    }

    private static ProcStat stat(long pid, long start, long cpu) {
        return new ProcStat(pid, "p" + pid, 1, cpu, 1, start, 1000, 10);
    }

    private static ProcessScan scan(ProcStat... stats) {
        Map<ProcessId, ProcStat> m = new HashMap<>();
        for (ProcStat s : stats) {
            m.put(new ProcessId(s.pid(), s.startTicks()), s);
        }
        return new ProcessScan(m, null, Set.of(8080));
    }

    private static KernelSample.Conn conn(long pid, long start, long cookie, int lport, int rport, long in, long out) {
        byte[] lo = {127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        return new KernelSample.Conn(new ProcessId(pid, start), cookie, 2, 6, false, lo, lport, lo, rport, in, out, 1, 1);
    }

    private static KernelSample sample(KernelSample.Conn... conns) {
        return new KernelSample(List.of(conns), List.of(), List.of(), Losses.NONE);
    }

    private static ProcessRow proc(Snapshot s, long pid) {
        return s.processes().stream().filter(r -> r.pid() == pid).findFirst().orElse(null);
    }

    @Test
    void anExecdProcessIsInTheContainerItWasMovedToNotItsParents() {
        // runc forks (host cgroup), moves the child into the container's cgroup, and the child execs
        procfs.put(new ProcessId(5, 100), new ProcessInfo("conmon", "conmon", 1, 0, "root", "host"));
        agg.start(0, scan(stat(5, 100, 1)));
        agg.onEvent(new ProcEvent(ProcEvent.FORK, 50, 5, 0, 200, 0, 0, "p50", ""));
        cgroupNow.put(new ProcessId(50, 200), "aaaaaaaaaaaa");
        // the same comm before and after (the scan then keeps what the events said)
        agg.onEvent(new ProcEvent(ProcEvent.EXEC, 50, 5, 0, 200, 0, 0, "p50", "p50 -g daemon off;"));
        agg.onEvent(new ProcEvent(ProcEvent.FORK, 51, 50, 0, 300, 0, 0, "p51", "")); // its worker
        Snapshot s = agg.tick(SEC, sample(), scan(stat(5, 100, 1), stat(50, 200, 1), stat(51, 300, 1)), List.of(), "t")
                .snapshot();
        assertEquals("aaaaaaaaaaaa", proc(s, 50).containerId());
        assertEquals("aaaaaaaaaaaa", proc(s, 51).containerId(), "children inherit it");
        assertEquals("host", proc(s, 5).containerId());
    }

    @Test
    void aContainerProcessThatExecsAndExitsBeforeTheTickStaysInItsContainer() {
        // known in its container from /proc; it execs and exits before /proc can be read again
        procfs.put(new ProcessId(5, 100), new ProcessInfo("conmon", "conmon", 1, 0, "root", "host"));
        procfs.put(new ProcessId(50, 200), new ProcessInfo("sh", "sh -c x", 5, 0, "root", "aaaaaaaaaaaa"));
        agg.start(0, scan(stat(5, 100, 1), stat(50, 200, 1)));
        agg.tick(SEC, sample(), scan(stat(5, 100, 1), stat(50, 200, 1)), List.of(), "t");
        agg.onEvent(new ProcEvent(ProcEvent.EXEC, 50, 5, 0, 200, 0, 0, "w", "/w tcp"));
        agg.onEvent(new ProcEvent(ProcEvent.FORK, 51, 50, 0, 300, 0, 0, "w", ""));
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 51, 50, 0, 300, 0, 0, "w", ""));
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 50, 5, 0, 200, 0, 0, "w", ""));
        Snapshot s = agg.tick(2 * SEC, sample(conn(51, 300, 9, 80, 5556, 100, 0)), scan(stat(5, 100, 1)), List.of(), "t")
                .snapshot();
        assertEquals("aaaaaaaaaaaa", proc(s, 50).containerId(), "exec does not leave the container");
        assertEquals("aaaaaaaaaaaa", proc(s, 51).containerId());
    }

    @Test
    void containerRowsCarryTheirRuntimesAnswerAndSayContainersAndPodsExist() {
        procfs.put(new ProcessId(10, 500), new ProcessInfo("srv", "srv", 1, 0, "root", "host"));
        procfs.put(new ProcessId(20, 600), new ProcessInfo("web", "web", 1, 0, "root", "aaaaaaaaaaaa"));
        agg.start(0, scan(stat(10, 500, 100), stat(20, 600, 1)));
        Snapshot hostOnly = agg.tick(SEC, sample(conn(10, 500, 7, 8080, 5555, 10, 20)), scan(stat(10, 500, 150)),
                List.of(), "t").snapshot();
        assertFalse(hostOnly.collected().contains(Snapshot.CONTAINERS), "no container: the column stays hidden");
        java.util.List<String> asked = new java.util.ArrayList<>();
        agg.useContainers(id -> {
            asked.add(id);
            return new io.wiretop.host.ContainerMeta(id, "web", "nginx", "podman", "shop", null, Map.of());
        });
        Snapshot s = agg.tick(2 * SEC, sample(conn(20, 600, 9, 80, 5556, 100, 0)),
                scan(stat(10, 500, 150), stat(20, 600, 2)), List.of(), "t").snapshot();
        assertTrue(s.collected().contains(Snapshot.CONTAINERS));
        assertTrue(s.collected().contains(Snapshot.PODS));
        assertEquals("web", proc(s, 20).get("container.name"));
        assertEquals("shop", proc(s, 20).get("k8s.pod.name"));
        assertEquals("host", proc(s, 10).get("container.name"));
        assertNull(proc(s, 10).container(), "host processes ask no runtime");
        assertEquals("nginx", s.connections().get(0).get("container.image"));
        assertTrue(asked.stream().allMatch("aaaaaaaaaaaa"::equals), asked.toString());
    }

    @Test
    void countersBecomePerIntervalDeltasAndCpuNeedsAPreviousScan() {
        procfs.put(new ProcessId(10, 500), new ProcessInfo("srv", "srv --port 8080", 1, 0, "root", "host"));
        procfs.put(new ProcessId(11, 600), new ProcessInfo("new", "new", 1, 0, "root", "host"));
        agg.start(0, scan(stat(10, 500, 100)));
        Snapshot s1 = agg.tick(SEC, sample(conn(10, 500, 7, 8080, 5555, 1000, 200)),
                scan(stat(10, 500, 150), stat(11, 600, 5)), List.of(), "t").snapshot();
        assertEquals(1000, proc(s1, 10).netIn());
        assertEquals(200, proc(s1, 10).netOut());
        assertEquals(50.0, proc(s1, 10).cpuPercent(), 1e-9, "the scan at start is the first CPU sample");
        assertEquals(-1, proc(s1, 11).cpuPercent(), "no CPU rate without a previous /proc sample");
        Snapshot s2 = agg.tick(2 * SEC, sample(conn(10, 500, 7, 8080, 5555, 1500, 200)), scan(stat(10, 500, 170)),
                List.of(), "t").snapshot();
        assertEquals(500, proc(s2, 10).netIn());
        assertEquals(0, proc(s2, 10).netOut());
        assertEquals(20.0, proc(s2, 10).cpuPercent(), 1e-9, "20 ticks in 1 s = 20% of a core");
        assertEquals(1, s2.connections().size());
        ConnectionRow c = s2.connections().get(0);
        assertTrue(c.server(), "local port 8080 is listening");
        assertEquals("127.0.0.1:8080->127.0.0.1:5555", c.name());
        Snapshot s3 = agg.tick(3 * SEC, sample(conn(10, 500, 7, 8080, 5555, 1500, 200)), scan(stat(10, 500, 170)),
                List.of(), "t").snapshot();
        assertTrue(s3.connections().isEmpty(), "an idle connection is not listed");
    }

    @Test
    void aReusedPidIsANewProcess() {
        procfs.put(new ProcessId(20, 100), new ProcessInfo("old", "old", 1, 0, "root", "host"));
        agg.start(0, scan(stat(20, 100, 0)));
        agg.tick(SEC, sample(conn(20, 100, 1, 1, 2, 5000, 0)), scan(stat(20, 100, 0)), List.of(), "t");
        // the old process exits; a new one gets pid 20 with another start time and its own counters
        procfs.put(new ProcessId(20, 900), new ProcessInfo("new", "new", 1, 0, "root", "host"));
        Agg r = new Agg(agg.tick(2 * SEC, sample(conn(20, 100, 1, 1, 2, 5000, 0), conn(20, 900, 2, 1, 2, 30, 0)),
                scan(stat(20, 900, 0)), List.of(), "t"));
        List<ProcessRow> rows = r.s.processes().stream().filter(p -> p.pid() == 20).toList();
        assertEquals(2, rows.size(), "two processes with pid 20: " + rows);
        ProcessRow old = rows.stream().filter(p -> p.startTicks() == 100).findFirst().orElseThrow();
        ProcessRow neu = rows.stream().filter(p -> p.startTicks() == 900).findFirst().orElseThrow();
        assertTrue(old.exited());
        assertEquals(0, old.netIn(), "the old process moved nothing more");
        assertEquals(30, neu.netIn(), "the new one counts from its own zero");
        assertEquals("new", neu.comm());
        assertEquals(List.of(), r.c.goneProcesses(), "gone without an exit event: read once more before deleting");
        // bytes it moved after the counters were read, just before it died, still count
        Agg r3 = new Agg(agg.tick(3 * SEC, sample(conn(20, 100, 1, 1, 2, 5007, 0), conn(20, 900, 2, 1, 2, 30, 0)),
                scan(stat(20, 900, 0)), List.of(), "t"));
        ProcessRow late = r3.s.processes().stream().filter(p -> p.pid() == 20 && p.startTicks() == 100)
                .findFirst().orElseThrow();
        assertEquals(7, late.netIn());
        assertEquals(List.of(new ProcessId(20, 100)), r3.c.goneProcesses());
        Snapshot s4 = agg.tick(4 * SEC, sample(conn(20, 900, 2, 1, 2, 30, 0)), scan(stat(20, 900, 0)), List.of(), "t")
                .snapshot();
        assertEquals(1, s4.processes().stream().filter(p -> p.pid() == 20).count(), "the old one has left the table");
    }

    @Test
    void aShortLivedProcessIsNamedFromItsExecEventAndShownOnceAfterExit() {
        agg.start(0, scan());
        agg.onEvent(new ProcEvent(ProcEvent.EXEC, 30, 1, 1000, 777, 0, 0, "curl", "curl -s http://x/"));
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 30, 1, 1000, 777, 0, 0, "curl", ""));
        Agg r = new Agg(agg.tick(SEC, sample(conn(30, 777, 3, 40000, 80, 4242, 87)), scan(), List.of(), "t"));
        ProcessRow row = proc(r.s, 30);
        assertEquals("curl -s http://x/", row.cmdline());
        assertEquals("u1000", row.user());
        assertEquals(4242, row.netIn());
        assertTrue(row.exited());
        assertEquals(List.of(new ProcessId(30, 777)), r.c.goneProcesses());
        Snapshot next = agg.tick(2 * SEC, sample(), scan(), List.of(), "t").snapshot();
        assertNull(proc(next, 30), "an exited process leaves the table");
    }

    @Test
    void anExitedProcessThatIsStillAZombieIsNotShownAgain() {
        ProcessId kid = new ProcessId(40, 600);
        procfs.put(kid, new ProcessInfo("kid", "kid --run", 1, 0, "root", "host"));
        agg.start(0, scan(stat(1, 1, 0), stat(40, 600, 0)));
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 40, 1, 0, 600, 0, 0, "kid", ""));
        // its parent has not reaped it: /proc still lists it (state Z) for a few intervals
        Snapshot s1 = agg.tick(SEC, sample(), scan(stat(1, 1, 0), stat(40, 600, 0)), List.of(), "t").snapshot();
        assertTrue(proc(s1, 40).exited(), "one last row, marked exited");
        procfs.put(kid, new ProcessInfo("kid", "[kid]", 1, 0, "root", "host")); // a zombie has no cmdline
        for (int i = 2; i <= 4; i++) {
            Snapshot s = agg.tick(i * SEC, sample(), scan(stat(1, 1, 0), stat(40, 600, 0)), List.of(), "t").snapshot();
            assertNull(proc(s, 40), "interval " + i + ": an exited process does not come back while it is a zombie");
        }
        Snapshot reaped = agg.tick(5 * SEC, sample(), scan(stat(1, 1, 0)), List.of(), "t").snapshot();
        assertNull(proc(reaped, 40), "nor once it is reaped");
        // the pid is reused by a new process: that one is shown
        agg.tick(6 * SEC, sample(), scan(stat(1, 1, 0), stat(40, 900, 0)), List.of(), "t");
        Snapshot reused = agg.tick(7 * SEC, sample(), scan(stat(1, 1, 0), stat(40, 900, 0)), List.of(), "t").snapshot();
        assertFalse(proc(reused, 40).exited());
    }

    @Test
    void closedSocketsAreHandedBackForDeletionAfterTheirLastRead() {
        procfs.put(new ProcessId(40, 1), new ProcessInfo("c", "c", 1, 0, "root", "host"));
        agg.start(0, scan(stat(40, 1, 0)));
        Agg r = new Agg(agg.tick(SEC, sample(conn(40, 1, 9, 1, 2, 10, 10)), scan(stat(40, 1, 0)), List.of(9L), "t"));
        assertEquals(10, proc(r.s, 40).netIn(), "the final counts are still reported");
        assertEquals(List.of(new Cleanup.ConnRef(new ProcessId(40, 1), 9)), r.c.conns());
        // a recreated entry (same key, counters restarted) counts from zero
        Snapshot s = agg.tick(2 * SEC, sample(conn(40, 1, 9, 1, 2, 4, 0)), scan(stat(40, 1, 0)), List.of(), "t").snapshot();
        assertEquals(4, proc(s, 40).netIn());
    }

    @Test
    void filesAndSyscallsAddUpPerProcess() {
        procfs.put(new ProcessId(50, 1), new ProcessInfo("w", "w", 1, 0, "root", "host"));
        agg.start(0, scan(stat(50, 1, 0)));
        ProcessId id = new ProcessId(50, 1);
        KernelSample k = new KernelSample(List.of(),
                List.of(new KernelSample.Sys(id, 1, 0, 5), new KernelSample.Sys(id, 2, 2, 3)),
                List.of(new KernelSample.FileIo(id, 8 << 20 | 1, 12, 4, 100, 4096, 3)), Losses.NONE);
        Snapshot s = agg.tick(SEC, k, scan(stat(50, 1, 0)), List.of(), "t").snapshot();
        ProcessRow p = proc(s, 50);
        assertEquals(100, p.fileIn());
        assertEquals(4096, p.fileOut());
        assertEquals(8, p.syscalls());
        assertFalse(p.exited());
        List<? extends Row> sys = s.rows(Snapshot.SYSCALLS);
        assertTrue(sys.stream().anyMatch(r -> "open".equals(r.get("evt.type")) && "ENOENT".equals(r.get("evt.res"))),
                "syscall 2 with errno 2 is open/ENOENT: " + sys);
        assertEquals("/var/log/f4", s.rows(Snapshot.FILES).get(0).get("fd.name"));
    }

    @Test
    void wireBytesArePerIntervalPerProcessAndSocketAndUnownedPacketsHaveTheirOwnRow() {
        procfs.put(new ProcessId(60, 1), new ProcessInfo("srv", "srv", 1, 0, "root", "host"));
        agg.start(0, scan(stat(60, 1, 0)));
        ProcessId id = new ProcessId(60, 1);
        KernelSample k1 = new KernelSample(List.of(conn(60, 1, 5, 80, 4000, 100, 0)), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 5, 152, 52, 2, 1),
                        new KernelSample.Wire(Aggregator.UNATTRIBUTED, 77, 40, 40, 1, 1)), Losses.NONE);
        Snapshot s1 = agg.tick(SEC, k1, scan(stat(60, 1, 0)), List.of(), "t").snapshot();
        assertEquals(152, proc(s1, 60).wireIn());
        assertEquals(52, proc(s1, 60).wireOut());
        assertEquals(100, proc(s1, 60).netIn(), "NET stays payload");
        assertEquals(152, s1.connections().get(0).wireIn());
        ProcessRow unowned = proc(s1, 0);
        assertEquals("[unattributed]", unowned.comm());
        assertEquals(40, unowned.wireIn());
        // only ACKs this interval: the connection is listed for its WIRE bytes, NET unchanged
        KernelSample k2 = new KernelSample(List.of(conn(60, 1, 5, 80, 4000, 100, 0)), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 5, 152, 104, 2, 2)), Losses.NONE);
        Snapshot s2 = agg.tick(2 * SEC, k2, scan(stat(60, 1, 0)), List.of(), "t").snapshot();
        assertEquals(52, proc(s2, 60).wireOut());
        assertEquals(0, proc(s2, 60).netIn());
        assertEquals(1, s2.connections().size());
        assertEquals(52, s2.connections().get(0).wireOut());
        assertFalse(proc(s2, 60).exited());
    }

    @Test
    void aCollectorAttachedMidRunShowsFromItsFirstFullIntervalAndIsNullBeforeAndAfter() {
        procfs.put(new ProcessId(80, 1), new ProcessInfo("w", "w", 1, 0, "root", "host"));
        agg.start(0, scan(stat(80, 1, 0)));
        ProcessId id = new ProcessId(80, 1);
        Snapshot off = agg.tick(SEC, sample(conn(80, 1, 5, 1, 2, 10, 0)), scan(stat(80, 1, 0)), List.of(), "t",
                false, false).snapshot();
        assertEquals(-1, proc(off, 80).fileOut(), "not collected: null, not 0");
        assertEquals(-1, proc(off, 80).wireIn());
        assertEquals(Set.of(Snapshot.NET), off.collected());
        assertFalse(off.sources().containsKey(Snapshot.FILES));
        // attached during this interval: its counts since attach are a baseline, not a partial interval
        KernelSample attach = new KernelSample(List.of(conn(80, 1, 5, 1, 2, 20, 0)),
                List.of(new KernelSample.Sys(id, 1, 0, 40)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 9000, 2)),
                List.of(new KernelSample.Wire(id, 5, 3000, 500, 5, 6)), Losses.NONE);
        Snapshot base = agg.tick(2 * SEC, attach, scan(stat(80, 1, 0)), List.of(), "t", false, false).snapshot();
        assertEquals(-1, proc(base, 80).fileOut());
        assertEquals(-1, proc(base, 80).syscalls());
        assertEquals(-1, proc(base, 80).wireIn());
        assertEquals(-1, base.connections().get(0).wireIn());
        assertEquals(10, proc(base, 80).netIn());
        KernelSample full = new KernelSample(List.of(conn(80, 1, 5, 1, 2, 30, 0)),
                List.of(new KernelSample.Sys(id, 1, 0, 45)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 9100, 3)),
                List.of(new KernelSample.Wire(id, 5, 3070, 500, 6, 6)), Losses.NONE);
        Snapshot first = agg.tick(3 * SEC, full, scan(stat(80, 1, 0)), List.of(), "t", true, true).snapshot();
        assertEquals(100, proc(first, 80).fileOut(), "only the full interval after the baseline");
        assertEquals(5, proc(first, 80).syscalls());
        assertEquals(70, proc(first, 80).wireIn());
        assertEquals(70, first.connections().get(0).wireIn());
        assertEquals(Snapshot.ALL_COUNTERS, first.collected());
        assertTrue(first.sources().containsKey(Snapshot.FILES));
        // detached: null again; re-attached programs count from zero, and their first read is a baseline again
        Snapshot gone = agg.tick(4 * SEC, sample(conn(80, 1, 5, 1, 2, 40, 0)), scan(stat(80, 1, 0)), List.of(), "t",
                false, false).snapshot();
        assertEquals(-1, proc(gone, 80).fileOut());
        assertEquals(-1, proc(gone, 80).wireOut());
        KernelSample again = new KernelSample(List.of(conn(80, 1, 5, 1, 2, 50, 0)),
                List.of(new KernelSample.Sys(id, 1, 0, 7)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 50, 1)),
                List.of(new KernelSample.Wire(id, 5, 80, 0, 1, 0)), Losses.NONE);
        agg.tick(5 * SEC, again, scan(stat(80, 1, 0)), List.of(), "t", false, false);
        KernelSample later = new KernelSample(List.of(conn(80, 1, 5, 1, 2, 60, 0)),
                List.of(new KernelSample.Sys(id, 1, 0, 9)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 80, 2)),
                List.of(new KernelSample.Wire(id, 5, 100, 0, 2, 0)), Losses.NONE);
        Snapshot re = agg.tick(6 * SEC, later, scan(stat(80, 1, 0)), List.of(), "t", true, true).snapshot();
        assertEquals(30, proc(re, 80).fileOut());
        assertEquals(2, proc(re, 80).syscalls());
        assertEquals(20, proc(re, 80).wireIn());
        // a counter the re-attached program creates after its baseline counts from zero, not from
        // what the detached one had last read (syscall 1 was at 45 before the detach)
        KernelSample fresh = new KernelSample(List.of(conn(80, 1, 5, 1, 2, 60, 0)),
                List.of(new KernelSample.Sys(id, 1, 0, 9), new KernelSample.Sys(id, 3, 0, 4)), List.of(),
                List.of(new KernelSample.Wire(id, 5, 100, 0, 2, 0)), Losses.NONE);
        agg.tick(7 * SEC, new KernelSample(List.of(), List.of(), List.of(), Losses.NONE), scan(stat(80, 1, 0)),
                List.of(), "t", false, false); // detached again
        agg.tick(8 * SEC, new KernelSample(List.of(), List.of(), List.of(), Losses.NONE), scan(stat(80, 1, 0)),
                List.of(), "t", false, false); // re-attached: nothing counted yet, an empty baseline
        Snapshot z = agg.tick(9 * SEC, fresh, scan(stat(80, 1, 0)), List.of(), "t", true, true).snapshot();
        assertEquals(13, proc(z, 80).syscalls(), "9 + 4 since the empty baseline");
        assertEquals(100, proc(z, 80).wireIn());
    }

    @Test
    void theFirstIntervalCountsFromTheBaselineNotFromAttach() {
        procfs.put(new ProcessId(70, 1), new ProcessInfo("stream", "stream", 1, 0, "root", "host"));
        ProcessId id = new ProcessId(70, 1);
        // counted between attach and the end of start-up: not part of any interval
        KernelSample base = new KernelSample(List.of(conn(70, 1, 5, 1, 2, 0, 700_000)),
                List.of(new KernelSample.Sys(id, 1, 0, 40)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 9000, 2)),
                List.of(new KernelSample.Wire(id, 5, 3000, 720_000, 50, 60)), Losses.NONE);
        agg.start(10 * SEC, base, scan(stat(70, 1, 0)));
        KernelSample k = new KernelSample(List.of(conn(70, 1, 5, 1, 2, 0, 3_200_000)),
                List.of(new KernelSample.Sys(id, 1, 0, 50)), List.of(new KernelSample.FileIo(id, 1, 2, 3, 0, 9100, 3)),
                List.of(new KernelSample.Wire(id, 5, 3100, 3_230_000, 60, 100)), Losses.NONE);
        Snapshot s = agg.tick(11 * SEC, k, scan(stat(70, 1, 0)), List.of(), "t").snapshot();
        assertEquals(1.0, s.intervalSeconds(), 1e-9, "the first interval starts at the baseline");
        ProcessRow p = proc(s, 70);
        assertEquals(2_500_000, p.netOut(), "only what was sent after the baseline");
        assertEquals(2_510_000, p.wireOut());
        assertEquals(100, p.wireIn());
        assertEquals(10, p.syscalls());
        assertEquals(100, p.fileOut());
        assertEquals(2_500_000, s.connections().get(0).bytesOut());
        assertEquals(0.0, p.cpuPercent(), 1e-9);
    }

    @Test
    void aProcessReadBeforeItsEventsIsNamedByEventsDrainedAfterTheRead() {
        agg.start(0, scan());
        // started and exited between the last drain and the /proc scan: only its events know it
        agg.onLateEvent(new ProcEvent(ProcEvent.FORK, 80, 79, 0, 900, 0, 0, "sh", ""));
        agg.onLateEvent(new ProcEvent(ProcEvent.EXEC, 80, 79, 0, 900, 0, 0, "wt-kid", "wt-kid short"));
        agg.onLateEvent(new ProcEvent(ProcEvent.EXIT, 80, 79, 0, 900, 0, 0, "wt-kid", ""));
        Agg r = new Agg(agg.tick(SEC, sample(conn(80, 900, 3, 40000, 80, 0, 5000)), scan(), List.of(), "t"));
        ProcessRow row = proc(r.s, 80);
        assertEquals("wt-kid", row.comm());
        assertEquals(79, row.ppid());
        assertEquals(5000, row.netOut());
        assertEquals(List.of(), r.c.goneProcesses(), "its exit came after the read: the counts are not final yet");
        // it sent more between the read and its exit: counted now, then it is gone
        Agg r2 = new Agg(agg.tick(2 * SEC, sample(conn(80, 900, 3, 40000, 80, 0, 5100)), scan(), List.of(), "t"));
        assertEquals(100, proc(r2.s, 80).netOut());
        assertEquals("wt-kid", proc(r2.s, 80).comm());
        assertEquals(List.of(new ProcessId(80, 900)), r2.c.goneProcesses());
    }

    @Test
    void packetsAfterAProcessExitedKeepItsNameAndItsWireEntryStaysUntilIdle() {
        agg.start(0, scan());
        agg.onEvent(new ProcEvent(ProcEvent.EXEC, 90, 89, 0, 901, 0, 0, "wt-kid", "wt-kid short"));
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 90, 89, 0, 901, 0, 0, "wt-kid", ""));
        ProcessId id = new ProcessId(90, 901);
        Cleanup.ConnRef ref = new Cleanup.ConnRef(id, 4);
        KernelSample k1 = new KernelSample(List.of(conn(90, 901, 4, 40000, 80, 0, 5000)), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 4, 52, 1200, 1, 1)), Losses.NONE);
        Agg r = new Agg(agg.tick(SEC, k1, scan(), List.of(), "t"));
        assertEquals(List.of(id), r.c.goneProcesses());
        assertFalse(r.c.conns().contains(ref), "its socket still moved bytes: packets may follow, keep the entry");
        // the peer opens its window: the data the process left queued goes out after it is gone
        KernelSample k2 = new KernelSample(List.of(), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 4, 104, 5052, 2, 5)), Losses.NONE);
        Agg r2 = new Agg(agg.tick(2 * SEC, k2, scan(), List.of(), "t"));
        ProcessRow late = proc(r2.s, 90);
        assertEquals(52, late.wireIn());
        assertEquals(3852, late.wireOut(), "only what came after the last read");
        assertEquals("wt-kid", late.comm());
        assertEquals(89, late.ppid());
        assertTrue(late.exited());
        assertFalse(r2.c.conns().contains(ref));
        Agg r3 = new Agg(agg.tick(3 * SEC, k2, scan(), List.of(), "t"));
        assertTrue(r3.c.conns().contains(ref), "an interval without packets: now it can go");
        assertNull(proc(r3.s, 90));
    }

    @Test
    void wireCountedBetweenAnEntrysLastReadAndItsDeletionCountsOnce() {
        procfs.put(new ProcessId(91, 1), new ProcessInfo("srv", "srv", 1, 0, "root", "host"));
        agg.start(0, scan(stat(91, 1, 0)));
        ProcessId id = new ProcessId(91, 1);
        // 40 bytes came after the entry was read and before it was deleted; a new entry holds 60 more
        KernelSample k = new KernelSample(List.of(), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 8, 0, 60, 0, 1)), Losses.NONE,
                List.of(new KernelSample.Wire(id, 8, 0, 40, 0, 1)));
        Snapshot s = agg.tick(SEC, k, scan(stat(91, 1, 0)), List.of(), "t").snapshot();
        assertEquals(100, proc(s, 91).wireOut());
        Snapshot s2 = agg.tick(2 * SEC, new KernelSample(List.of(), List.of(), List.of(),
                List.of(new KernelSample.Wire(id, 8, 0, 60, 0, 1)), Losses.NONE), scan(stat(91, 1, 0)), List.of(), "t")
                .snapshot();
        assertEquals(0, proc(s2, 91).wireOut());
    }

    @Test
    void anExitWithoutEarlierEventsStillNamesTheProcess() {
        agg.start(0, scan());
        agg.onEvent(new ProcEvent(ProcEvent.EXIT, 95, 94, 0, 902, 0, 0, "lost-fork", ""));
        ProcessRow row = proc(agg.tick(SEC, sample(conn(95, 902, 6, 1, 2, 10, 0)), scan(), List.of(), "t").snapshot(), 95);
        assertEquals("lost-fork", row.comm());
        assertEquals(94, row.ppid());
    }

    @Test
    void aForkedChildThatExecsIsRenamedFromProc() {
        procfs.put(new ProcessId(96, 903), new ProcessInfo("curl", "curl -s x", 1, 0, "root", "host"));
        agg.start(0, scan());
        agg.onEvent(new ProcEvent(ProcEvent.FORK, 96, 1, 0, 903, 0, 0, "bash", ""));
        // exec'd after the drain: /proc already says curl
        ProcStat st = new ProcStat(96, "curl", 1, 0, 1, 903, 1000, 10);
        ProcessRow row = proc(agg.tick(SEC, sample(), scan(st), List.of(), "t").snapshot(), 96);
        assertEquals("curl", row.comm());
        assertEquals("curl -s x", row.cmdline());
    }

    private record Agg(Snapshot s, Cleanup c) {
        Agg(Aggregator.Result r) {
            this(r.snapshot(), r.cleanup());
        }
    }
}
