// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.events.EventSelection;
import io.wiretop.events.SyscallStream;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.window.EchoText;
import io.wiretop.window.LiveWindowSource;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import io.wiretop.cli.TopCommand;
import io.wiretop.window.EventWindowSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Echo on the live system: a bash process writes known bytes to a file and to a loopback TCP
 * socket; the Echo window's source, opened on its pid, shows exactly those bytes with the right
 * counts and fd names. The stream's BPF programs are held by this JVM while the window is open and
 * released when it closes (this process's own fds, /proc/self/fdinfo, so other helpers' programs
 * do not count), and the kernel no longer lists them. Echo's stream attaches the sys_exit hook
 * alone (it sends each enter itself), Dig's both: the bytes and fd names are the same either way.
 */
class EchoKernelIT {
    private static final String FILE_BYTES = "file-bytes-42";
    private static final String TCP_BYTES = "tcp-bytes-77 over loopback";

    /** Program ids this JVM holds (program and link fds). */
    static Set<Long> heldPrograms() throws IOException {
        Set<Long> ids = new TreeSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path p : fds.toList()) {
                try {
                    for (String line : Files.readAllLines(p)) {
                        if (line.startsWith("prog_id:")) {
                            ids.add(Long.parseLong(line.substring(8).strip()));
                        }
                    }
                } catch (IOException e) {
                    // an fd closed meanwhile
                }
            }
        }
        return ids;
    }

    static boolean kernelLists(long progId) throws Exception {
        Process p = new ProcessBuilder("bpftool", "prog", "show", "id", Long.toString(progId))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @ParameterizedTest(name = "exitsOnly={0}")
    @ValueSource(booleans = {true, false})
    void echoShowsTheBytesAProcessWritesToAFileAndASocket(boolean exitsOnly) throws Exception {
        KernelHarness.requireRoot();
        Path file = KernelHarness.workDir().resolve("echo-it.txt");
        Files.deleteIfExists(file);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    return "";
                }
            });
            Process sh = new ProcessBuilder("bash", "-c", "read go; exec 3>" + file.toAbsolutePath()
                    + "; printf '" + FILE_BYTES + "' >&3; exec 3>&-; exec 4<>/dev/tcp/127.0.0.1/" + port
                    + "; printf '" + TCP_BYTES + "' >&4; exec 4>&-").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Set<Long> before = heldPrograms();
            WindowSelection sel = WindowSelection.processes(Set.of(sh.pid()), "proc.pid=" + sh.pid());
            LiveWindowSource window = LiveWindowSource.start(sel, () -> SyscallStream.open(EventSelection.processes(
                    Set.of((int) sh.pid()), EventSelection.DEFAULT_SNAP).exitsOnly(exitsOnly)), () -> HostSnapshot.system().take(), java.time.ZoneOffset.UTC);
            Set<Long> open = heldPrograms();
            open.removeAll(before);
            List<WindowEvent> got = new ArrayList<>();
            try {
                assertFalse(open.isEmpty(), "the stream's programs are attached while the window is open");
                for (long id : open) {
                    assertTrue(kernelLists(id), "bpftool lists program " + id);
                }
                try (OutputStream go = sh.getOutputStream()) {
                    go.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertTrue(sh.waitFor(20, TimeUnit.SECONDS) && sh.exitValue() == 0, "the workload ran");
                assertEquals(TCP_BYTES, received.get(10, TimeUnit.SECONDS));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < until && got.stream().filter(EchoText::shows).count() < 2) {
                    window.drain().forEach(got::addAll);
                    Thread.sleep(20);
                }
                window.drain().forEach(got::addAll);
            } finally {
                window.close();
            }
            List<String> echo = new ArrayList<>();
            for (WindowEvent w : got) {
                if (EchoText.shows(w) && w.event().name().equals("write")) {
                    EchoText.lines(w, EchoText.Mode.PRINTABLE, 200).forEach(l -> echo.add(l.text()));
                }
            }
            assertEquals(List.of("------ Write " + FILE_BYTES.length() + "B to " + file.toAbsolutePath() + " (bash)", "",
                    FILE_BYTES, "", "------ Write " + TCP_BYTES.length() + "B to 127.0.0.1:" + localPort(got, port)
                            + "->127.0.0.1:" + port + " (bash)", "", TCP_BYTES, ""), echo, "all events: " + got);
            Set<Long> after = heldPrograms();
            for (long id : open) {
                assertFalse(after.contains(id), "program " + id + " released when the window closed");
                // the kernel frees a program after an RCU grace period once the last reference goes
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (kernelLists(id) && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertFalse(kernelLists(id), "bpftool no longer lists program " + id);
            }
        }
    }

    /**
     * The programs a window's stream holds, through the TUI's own opener: Echo (no enters wanted) the
     * sys_exit hook with fork and exit, no sys_enter; Dig and Spectrogram (enters wanted) both hooks.
     * Names from bpftool, ids from this JVM's fds (other helpers' programs do not count).
     */
    @Test
    void echoAttachesTheExitHookAloneAndDigBoth() throws Exception {
        KernelHarness.requireRoot();
        assertEquals(Set.of("evt_fork", "evt_exit", "evt_sys_exit"), windowPrograms(false), "Echo's window");
        assertEquals(Set.of("evt_fork", "evt_exit", "evt_sys_enter", "evt_sys_exit"), windowPrograms(true), "Dig's window");
    }

    private static Set<String> windowPrograms(boolean enters) throws Exception {
        long pid = ProcessHandle.current().pid();
        Set<Long> before = heldPrograms();
        EventWindowSource w = TopCommand.liveWindow(WindowSelection.processes(Set.of(pid), "proc.pid=" + pid),
                java.time.ZoneOffset.UTC, 80, enters);
        try {
            Set<Long> open = heldPrograms();
            open.removeAll(before);
            java.util.Map<Long, String> names = KernelHarness.programs();
            Set<String> held = new TreeSet<>();
            open.forEach(id -> held.add(names.get(id)));
            return held;
        } finally {
            w.close();
        }
    }

    /** The client port the connect exit's tuple names (the kernel chose it). */
    private static int localPort(List<WindowEvent> got, int port) {
        for (WindowEvent w : got) {
            String n = w.fdName();
            if (n.startsWith("127.0.0.1:") && n.endsWith("->127.0.0.1:" + port)) {
                return Integer.parseInt(n.substring(10, n.indexOf("->")));
            }
        }
        return -1;
    }
}
