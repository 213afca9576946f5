// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.cli.TopCommand;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live windows on a container row and on a thread row, through the TUI's own window opener
 * ({@link TopCommand#liveWindow}). The container: no runtime runs on these machines, so the test
 * makes what one makes (a cgroup named docker-&lt;64 hex&gt;.scope under the cgroup v2 root); the
 * window is opened before its process joins it (as {@code docker exec} joins), the kernel selects
 * the cgroup, and a process outside writing at the same time is not shown. The thread: a python3
 * process whose main thread and second thread both write; the window shows the second one's only.
 */
class ThreadContainerWindowKernelIT {
    private static List<WindowEvent> collect(EventWindowSource w, String until, long millis) throws Exception {
        List<WindowEvent> got = new ArrayList<>();
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && got.stream().noneMatch(e -> e.line().contains(until))) {
            w.drain().forEach(got::addAll);
            Thread.sleep(50);
        }
        Thread.sleep(500);
        w.drain().forEach(got::addAll);
        return got;
    }

    private static String lines(List<WindowEvent> got) {
        return String.join("\n", got.stream().map(WindowEvent::line).toList());
    }

    @ParameterizedTest(name = "enters={0}") // Dig/Spectrogram's stream (both hooks) and Echo's (exit hook only)
    @ValueSource(booleans = {true, false})
    void aContainersWindowShowsItsProcessesOnly(boolean enters) throws Exception {
        KernelHarness.requireRoot();
        String id = String.format("%016x", System.nanoTime()) + "1".repeat(40) + String.format("%08x", ProcessHandle.current().pid());
        Path root = Path.of(io.wiretop.host.CgroupV2.mountPoint());
        Path slice = root.resolve("wiretop-windows-it.slice"), cg = slice.resolve("docker-" + id + ".scope");
        Files.createDirectories(cg);
        EventWindowSource w = null;
        try {
            w = TopCommand.liveWindow(WindowSelection.container(id.substring(0, 12), Set.of(), "container.id=" + id.substring(0, 12)),
                    ZoneOffset.UTC, 80, enters);
            Process outside = new ProcessBuilder("bash", "-c", "for i in 1 2 3 4 5; do printf outside-bytes > /dev/null;"
                    + " sleep 0.2; done").start();
            // joins by writing cgroup.procs and writes without an exec: only the kernel knows it moved
            Process inside = new ProcessBuilder("bash", "-c", "echo $$ > " + cg.resolve("cgroup.procs")
                    + " && for i in 1 2 3 4 5; do printf inside-bytes > /dev/null; done").start();
            assertTrue(inside.waitFor(30, TimeUnit.SECONDS) && inside.exitValue() == 0, "the container's process ran");
            assertTrue(outside.waitFor(30, TimeUnit.SECONDS), "the host's process ran");
            List<WindowEvent> got = collect(w, "inside-bytes", 10_000);
            String all = lines(got);
            assertTrue(all.contains("data=inside-bytes"), "the container's writes:\n" + all);
            assertFalse(all.contains("outside-bytes"), "no host process:\n" + all);
            assertTrue(got.stream().anyMatch(e -> e.pid() == inside.pid()), "the process that joined:\n" + all);
            assertTrue(got.stream().noneMatch(e -> e.pid() == outside.pid()), "not the host's process:\n" + all);
        } finally {
            if (w != null) {
                w.close();
            }
            Files.deleteIfExists(cg);
            Files.deleteIfExists(slice);
        }
    }

    /** The TUI's -s reaches the kernel: a window opened with snap length 5 holds 5 bytes of each buffer. */
    @ParameterizedTest(name = "enters={0}") // Dig/Spectrogram's stream (both hooks) and Echo's (exit hook only)
    @ValueSource(booleans = {true, false})
    void theSnapLengthCutsEachBuffer(boolean enters) throws Exception {
        KernelHarness.requireRoot();
        Process p = new ProcessBuilder("bash", "-c", "read go; printf 0123456789-snap > /dev/null").start();
        EventWindowSource w = TopCommand.liveWindow(WindowSelection.processes(Set.of(p.pid()), "proc.pid=" + p.pid()),
                ZoneOffset.UTC, 5, enters);
        try {
            try (OutputStream go = p.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "the write ran");
            List<WindowEvent> got = collect(w, "res=15 data=", 10_000);
            String all = lines(got);
            assertTrue(all.contains("< write res=15 data=01234 "), "15 bytes written, 5 captured:\n" + all);
            assertFalse(all.contains("012345"), "no more than 5:\n" + all);
        } finally {
            w.close();
        }
    }

    @ParameterizedTest(name = "enters={0}") // Dig/Spectrogram's stream (both hooks) and Echo's (exit hook only)
    @ValueSource(booleans = {true, false})
    void aThreadsWindowShowsThatThreadOnly(boolean enters) throws Exception {
        KernelHarness.requireRoot();
        String py = "import os, sys, threading\n"
                + "def work(tag):\n"
                + "    sys.stdin.readline() if tag == b'main-bytes' else None\n"
                + "    fd = os.open('/dev/null', os.O_WRONLY)\n"
                + "    for i in range(5):\n"
                + "        os.write(fd, tag)\n"
                + "ready = threading.Event()\n"
                + "def second():\n"
                + "    print(threading.get_native_id(), flush=True)\n"
                + "    ready.wait()\n"
                + "    work(b'thread-bytes')\n"
                + "t = threading.Thread(target=second)\n"
                + "t.start()\n"
                + "work(b'main-bytes')\n"
                + "ready.set()\n"
                + "t.join()\n";
        Process p = new ProcessBuilder("python3", "-c", py).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        long tid = Long.parseLong(out.readLine().strip());
        assertTrue(tid != p.pid(), "a second thread");
        EventWindowSource w = TopCommand.liveWindow(WindowSelection.thread(p.pid(), tid, "thread.tid=" + tid),
                ZoneOffset.UTC, 80, enters);
        try {
            try (OutputStream go = p.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, "the threads ran");
            List<WindowEvent> got = collect(w, "thread-bytes", 10_000);
            String all = lines(got);
            assertTrue(all.contains("data=thread-bytes"), "the thread's writes:\n" + all);
            assertFalse(all.contains("main-bytes"), "not the main thread's:\n" + all);
            assertTrue(got.stream().allMatch(e -> e.event().tid() == tid), "that thread only:\n" + all);
        } finally {
            w.close();
        }
    }
}
