// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collectors that attach on demand, in the default mode (no -F, -W): the real screen in tmux, the
 * programs the wiretop JVM holds read from its fd table and bpftool. Drilling Processes ->
 * Connections -> Packets on a streaming workload attaches the packet hooks and lists that socket's
 * packets within two intervals; the Files view attaches the syscall program; leaving either keeps
 * it for the grace period, then detaches it; q, SIGTERM and SIGKILL leave nothing behind.
 */
class OnDemandKernelIT extends TmuxSessionTest {
    private static final long REFRESH = 1000;
    /** LiveFeed keeps a collector this long after its last view left (Attachment.GRACE_NANOS). */
    private static final long GRACE = 10_000;
    private static final Set<String> PACKET_PROGS = Set.of("wt_pkt_egress", "wt_pkt_ingress");
    private static final Set<String> SYS_PROGS = Set.of("wt_sys_exit");
    private static final Pattern PORTS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+\\.(\\d+)\\s+\\d+\\.\\d+\\.\\d+\\.\\d+\\.(\\d+)");

    /** Starts ./wiretop in the default mode; returns the JVM's pid once the table is up. */
    private static long startWiretop() throws Exception {
        String marker = Files.createTempFile("wiretop-ondemand", ".log").toString();
        tmux("kill-session", "-t", SESSION);
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "bash --norc --noprofile");
        tmux("send-keys", "-t", SESSION, "cd " + ROOT + " && PS1='$ ' && ./wiretop -d " + REFRESH + " --logfile " + marker,
                "Enter");
        waitFor("the Processes table", () -> screenHas("Viewing: Processes"), 240_000);
        Process p = new ProcessBuilder("pgrep", "-f", "java.*--logfile " + marker).start();
        String pids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        assertFalse(pids.isEmpty(), "the JVM is running");
        return Long.parseLong(pids.split("\\s+")[0]);
    }

    /** Names of the BPF programs the JVM holds now (its own fds only: other wiretops run too). */
    private static Set<String> held(long jvm) throws Exception {
        Set<Long> ids = KernelHarness.owned(jvm).progs();
        Map<Long, String> all = KernelHarness.programs();
        Set<String> names = new HashSet<>();
        ids.forEach(id -> {
            if (all.containsKey(id)) {
                names.add(all.get(id));
            }
        });
        return names;
    }

    private static boolean holds(long jvm, Set<String> progs) {
        try {
            return held(jvm).containsAll(progs);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean holdsNone(long jvm, Set<String> progs) {
        try {
            return held(jvm).stream().noneMatch(progs::contains);
        } catch (Exception e) {
            return false;
        }
    }

    private static String line(int y) throws Exception {
        String[] l = screen().split("\n");
        return y < l.length ? l[y] : "";
    }

    /** F2, then down/up to the named top-level view (the menu lists them by name), Enter. */
    private static void switchTo(String from, String to) throws Exception {
        // the menu leaves out views whose needs are absent (Pods: no pod runs here; the container
        // tests remove theirs)
        List<String> names = ViewRegistry.loadDefault().applicableTo("").stream()
                .filter(v -> v.offeredWith(java.util.Set.of())).map(ViewDef::name).toList();
        int delta = names.indexOf(to) - names.indexOf(from);
        assertTrue(names.contains(to) && names.contains(from), names.toString());
        tmux("send-keys", "-t", SESSION, "F2");
        waitFor("the views menu", () -> screenHas("Select View"), 5000);
        for (int i = 0; i < Math.abs(delta); i++) {
            tmux("send-keys", "-t", SESSION, delta > 0 ? "Down" : "Up");
        }
        tmux("send-keys", "-t", SESSION, "Enter");
        waitFor("the " + to + " view", () -> screenHas("Viewing: " + to), 5000);
    }

    /**
     * Leaving a view keeps its collector for the grace period (flipping views does not thrash),
     * then detaches it: still held a third into the grace period, gone by grace + 2 intervals + slack.
     */
    private static void assertDetachedAfterGrace(long jvm, Set<String> progs, long leftAt) throws Exception {
        Thread.sleep(Math.max(0, leftAt + GRACE / 3 - System.currentTimeMillis()));
        assertTrue(holds(jvm, progs), "still attached " + GRACE / 3 + " ms after leaving: " + held(jvm));
        waitFor(progs + " detached", () -> holdsNone(jvm, progs), GRACE + 2 * REFRESH + 8000 - (System.currentTimeMillis() - leftAt));
        long after = System.currentTimeMillis() - leftAt;
        assertTrue(after >= GRACE - 500, "detached only after the grace period, not " + after + " ms after leaving");
    }

    private static void assertReleased(KernelHarness.Owned owned) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000; // tracepoint programs go after an RCU grace period
        while (System.currentTimeMillis() < deadline
                && KernelHarness.programs().keySet().stream().anyMatch(owned.progs()::contains)) {
            Thread.sleep(100);
        }
        assertTrue(KernelHarness.programs().keySet().stream().noneMatch(owned.progs()::contains), "BPF programs released");
        assertTrue(KernelHarness.links().stream().noneMatch(owned.links()::contains), "BPF links released");
    }

    /** Drills from the workload's Processes row to its connection's Packets; returns the connection's ports. */
    private static Set<String> drillToPackets(long jvm) throws Exception {
        waitFor("the workload on the first row", () -> {
            try {
                return line(3).contains("workload stream");
            } catch (Exception e) {
                return false;
            }
        }, 15_000, jvm);
        tmux("send-keys", "-t", SESSION, "Home"); // the selection follows the row it was on before the workload came
        Thread.sleep(300);
        tmux("send-keys", "-t", SESSION, "Enter");
        waitFor("the Connections of the workload", () -> {
            try {
                return screen().contains("Viewing: Connections") && line(3).startsWith("tcp");
            } catch (Exception e) {
                return false;
            }
        }, 10_000, jvm);
        String[] conn = line(3).trim().split("\\s+"); // L4PROTO LIP LPORT RIP RPORT ...
        Set<String> ports = Set.of(conn[2], conn[4]);
        assertFalse(line(2).contains("WIRE"), "WIRE columns hidden while the hooks are off: " + line(2));
        return ports;
    }

    @Test
    void packetsViewAttachesTheHooksForThatSocketAndLeavingDetachesThem() throws Exception {
        long jvm = startWiretop();
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        waitFor("the first interval's rows", () -> !screenHas("Collecting Data"), 5000, jvm);
        assertTrue(screenHas("Live System (NET; FILE off; WIRE off)"), screen());
        Set<String> before = held(jvm);
        assertTrue(before.contains("wt_sock_send"), "the NET programs run: " + before);
        assertTrue(before.stream().noneMatch(PACKET_PROGS::contains) && before.stream().noneMatch(SYS_PROGS::contains),
                "the default mode holds neither the packet hooks nor the syscall program: " + before);
        String header = line(2);
        assertFalse(header.contains("FILE") || header.contains("WIRE"), "FILE and WIRE hidden: " + header);
        Process load = new ProcessBuilder(KernelHarness.workload().toString(), "stream", "60").start();
        try {
            Set<String> ports = drillToPackets(jvm);
            long opened = System.currentTimeMillis();
            tmux("send-keys", "-t", SESSION, "Enter");
            waitFor("packets of the connection", () -> {
                try {
                    return PORTS.matcher(line(3)).find();
                } catch (Exception e) {
                    return false;
                }
            }, 15_000, jvm);
            long shown = System.currentTimeMillis() - opened;
            assertTrue(shown <= 2 * REFRESH + 500, "packets within two intervals, not " + shown + " ms");
            assertTrue(holds(jvm, PACKET_PROGS), "the packet hooks are attached: " + held(jvm));
            assertTrue(holdsNone(jvm, SYS_PROGS), "and only them: " + held(jvm));
            // every packet listed is that socket's (its two ports), over a few intervals
            int rows = 0;
            for (int round = 0; round < 3; round++) {
                for (String l : screen().split("\n")) {
                    Matcher m = PORTS.matcher(l);
                    if (m.find()) {
                        rows++;
                        assertEquals(ports, Set.of(m.group(1), m.group(2)), "a packet of another socket: " + l);
                    }
                }
                Thread.sleep(REFRESH);
            }
            assertTrue(rows > 0);
            waitFor("the header to say since when WIRE is collected", () -> screenHas("WIRE since "), 3 * REFRESH, jvm);
            long left = System.currentTimeMillis(); // the packet hooks' last consumer leaves now
            tmux("send-keys", "-t", SESSION, "BSpace");
            waitFor("the Connections view", () -> screenHas("Viewing: Connections"), 5000);
            waitFor("the WIRE columns, now collected", () -> {
                try {
                    return line(2).contains("WIRE IN");
                } catch (Exception e) {
                    return false;
                }
            }, 3 * REFRESH, jvm);
            tmux("send-keys", "-t", SESSION, "BSpace");
            waitFor("the Processes view", () -> screenHas("Viewing: Processes"), 5000);
            assertDetachedAfterGrace(jvm, PACKET_PROGS, left);
            waitFor("the header to say WIRE is off", () -> screenHas("WIRE off"), 3 * REFRESH, jvm);
            waitFor("the WIRE column hidden again", () -> {
                try {
                    return !line(2).contains("WIRE");
                } catch (Exception e) {
                    return false;
                }
            }, 3 * REFRESH, jvm);
            tmux("send-keys", "-t", SESSION, "q");
            waitFor("the shell prompt after wiretop", () -> {
                try {
                    return java.util.Arrays.stream(screen().split("\n")).anyMatch(l -> l.strip().equals("$"));
                } catch (Exception e) {
                    return false;
                }
            }, 15_000);
            assertReleased(owned);
        } finally {
            load.destroy();
            load.waitFor();
        }
    }

    @Test
    void filesViewAttachesTheSyscallProgramAndSigtermReleasesIt() throws Exception {
        long jvm = startWiretop();
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        assertTrue(holdsNone(jvm, SYS_PROGS), held(jvm).toString());
        switchTo("Processes", "Files");
        waitFor("the syscall program attached", () -> holds(jvm, SYS_PROGS), 5000, jvm);
        assertTrue(holdsNone(jvm, PACKET_PROGS), "and only it: " + held(jvm));
        waitFor("the header to say since when FILE is collected", () -> screenHas("FILE since "), 3 * REFRESH + 1000, jvm);
        switchTo("Files", "Processes");
        long left = System.currentTimeMillis();
        waitFor("the FILE column, collected", () -> {
            try {
                return line(2).contains("FILE");
            } catch (Exception e) {
                return false;
            }
        }, 3 * REFRESH, jvm);
        assertDetachedAfterGrace(jvm, SYS_PROGS, left);
        waitFor("the FILE column hidden again", () -> {
            try {
                return !line(2).contains("FILE") && screenHas("FILE off");
            } catch (Exception e) {
                return false;
            }
        }, 3 * REFRESH, jvm);
        // attached again on demand, then the whole process stopped while it is attached
        switchTo("Processes", "Files");
        waitFor("the syscall program attached again", () -> holds(jvm, SYS_PROGS), 5000, jvm);
        KernelHarness.Owned withSys = KernelHarness.owned(jvm);
        new ProcessBuilder("kill", "-TERM", Long.toString(jvm)).start().waitFor();
        waitFor("the JVM to end", () -> !ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false), 15_000);
        assertReleased(owned);
        assertReleased(withSys);
    }

    @Test
    void sigkillWithThePacketHooksAttachedLeavesNothing() throws Exception {
        long jvm = startWiretop();
        Process load = new ProcessBuilder(KernelHarness.workload().toString(), "stream", "30").start();
        try {
            drillToPackets(jvm);
            tmux("send-keys", "-t", SESSION, "Enter");
            waitFor("the packet hooks attached", () -> holds(jvm, PACKET_PROGS), 10_000, jvm);
            KernelHarness.Owned owned = KernelHarness.owned(jvm);
            new ProcessBuilder("kill", "-KILL", Long.toString(jvm)).start().waitFor();
            waitFor("the JVM to end", () -> !ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false), 15_000);
            assertReleased(owned);
        } finally {
            load.destroy();
            load.waitFor();
        }
    }
}
