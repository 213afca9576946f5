// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.decode.ProcessContext;
import io.wiretop.host.ProcFs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A packet owner's context: its command, args, parent and container from /proc, its thread's name. */
class ProcInfoTest {
    @TempDir
    Path proc;

    private static final String ID = "4f1c0a7e3b2d5c6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

    private void process(long pid, long ppid, String argv, String cgroup) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.write(dir.resolve("cmdline"), argv.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("stat"), pid + " (x) S " + ppid + " 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0\n");
        Files.writeString(dir.resolve("cgroup"), cgroup);
        Path task = Files.createDirectories(dir.resolve("task").resolve(Long.toString(pid + 1)));
        Files.writeString(task.resolve("comm"), "worker-1\n");
    }

    @Test
    void contextNamesCommandParentContainerAndThread() throws Exception {
        process(100, 50, "/usr/bin/curl\0-s\0http://x\0", "0::/system.slice/docker-" + ID + ".scope\n");
        process(50, 1, "/bin/bash\0", "0::/system.slice/docker-" + ID + ".scope\n");
        ProcessContext c = new ProcInfo(new ProcFs(proc)).context(100, 7, 101, 0, "curl", 0);
        assertEquals("/usr/bin/curl", c.cmd());
        assertEquals("/usr/bin/curl -s http://x", c.args());
        assertEquals(50, c.ppid());
        assertEquals("/bin/bash", c.parentCmd());
        assertEquals("/bin/bash", c.parentArgs());
        assertEquals(ID, c.containerId());
        assertEquals("worker-1", c.threadName());
    }

    /** The runtimes answer off the capture's thread: a context built before they did takes the name after. */
    @Test
    void aContainerNamedAfterItsFirstPacketIsNamedFromThen() throws Exception {
        process(100, 50, "/usr/bin/curl\0", "0::/system.slice/docker-" + ID + ".scope\n");
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        ProcInfo info = new ProcInfo(new ProcFs(proc));
        info.useDirectory(id -> answered.get()
                ? new io.wiretop.host.ContainerMeta(id, "web", "nginx:1", "docker", "web-0", "ns", java.util.Map.of())
                : io.wiretop.host.ContainerMeta.idOnly(id));
        ProcessContext first = info.context(100, 7, 101, 0, "curl", 0);
        assertNull(first.containerName());
        assertEquals(ID, first.containerId());
        answered.set(true);
        ProcessContext thread = info.context(100, 7, 101, 0, "curl", 0);
        assertEquals("web", thread.containerName());
        assertEquals("nginx:1", thread.containerImage());
        assertEquals("web-0", thread.podName());
        assertEquals("worker-1", thread.threadName());
        assertEquals("web", info.context(100, 7, 100, 0, "curl", 0).containerName(), "another thread of the process");
        assertSame(thread, info.context(100, 7, 101, 0, "curl", 0), "named once, then the cached context");
    }

    @Test
    void aGoneProcessKeepsTheKernelsName() {
        ProcessContext c = new ProcInfo(new ProcFs(proc)).context(4194304, 7, -1, 0, "short", 0);
        assertEquals("short", c.cmd());
        assertEquals("short", c.args());
        assertEquals(-1, c.ppid());
        assertNull(c.containerId());
    }

    @Test
    void orphanOwnedPacketNamesItsParent() throws Exception {
        // an orphan is re-parented to PID 1 (or to a subreaper): its context must name that parent
        Process sh = new ProcessBuilder("/bin/sh", "-c", "sleep 20 >/dev/null 2>&1 & echo $!").start();
        long orphan = Long.parseLong(new String(sh.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        sh.waitFor();
        try {
            ProcessContext c = new ProcInfo().context(orphan, 1, -1, 0, "sleep", 0);
            assertEquals(orphan, c.pid());
            assertNotNull(c.parentCmd(), "parent " + c.ppid() + " of the orphan has no command");
            assertEquals(-1, c.lineSuffix().indexOf("[?."), c.lineSuffix());
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
