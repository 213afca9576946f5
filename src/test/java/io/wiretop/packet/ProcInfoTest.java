// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.decode.ProcessContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The command name of a process (and so of a packet owner's parent) when its exe link cannot be read. */
class ProcInfoTest {
    @TempDir
    Path dir;

    @Test
    void exeLinkWins() throws Exception {
        Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/sbin/sshd"));
        Files.writeString(dir.resolve("cmdline"), "sshd: root@pts/0\0");
        assertEquals("/usr/sbin/sshd", ProcInfo.command(dir));
    }

    @Test
    void unreadableExeFallsBackToArgvZero() throws Exception {
        // what PID 1 looks like in a sandbox: readlink(/proc/1/exe) fails with EACCES, even for root
        Files.write(dir.resolve("cmdline"), "/process_api\0--firecracker-init\0--addr x y\0".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("comm"), "process_api\n");
        assertEquals("/process_api", ProcInfo.command(dir));
    }

    @Test
    void argvZeroWithSpacesKept() throws Exception {
        Files.write(dir.resolve("cmdline"), "/opt/my app/bin\0-x\0".getBytes(StandardCharsets.UTF_8));
        assertEquals("/opt/my app/bin", ProcInfo.command(dir));
    }

    @Test
    void noCmdlineFallsBackToComm() throws Exception {
        Files.writeString(dir.resolve("cmdline"), ""); // kernel threads have an empty cmdline
        Files.writeString(dir.resolve("comm"), "kthreadd\n");
        assertEquals("kthreadd", ProcInfo.command(dir));
    }

    @Test
    void goneProcessHasNoCommand() {
        assertNull(ProcInfo.command(dir.resolve("4194304")));
    }

    @Test
    void pidOneHasANameOnThisMachine() {
        // the parent of most daemons: "ParentProc [?.1]" was printed where its exe link is unreadable
        assertNotNull(ProcInfo.command(Path.of("/proc/1")));
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
