// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command of a process (and so of a packet owner's parent) when its exe link cannot be read; its container. */
class ProcFsCommandTest {
    @TempDir
    Path proc;

    private Path pid(long pid) throws IOException {
        return Files.createDirectories(proc.resolve(Long.toString(pid)));
    }

    private void comm(long pid, String comm) throws IOException {
        Path task = Files.createDirectories(pid(pid).resolve("task").resolve(Long.toString(pid)));
        Files.writeString(task.resolve("comm"), comm);
    }

    @Test
    void exeLinkWins() throws Exception {
        Files.createSymbolicLink(pid(7).resolve("exe"), Path.of("/usr/sbin/sshd"));
        Files.writeString(pid(7).resolve("cmdline"), "sshd: root@pts/0\0");
        assertEquals("/usr/sbin/sshd", new ProcFs(proc).command(7));
    }

    @Test
    void unreadableExeFallsBackToArgvZero() throws Exception {
        // what PID 1 looks like in a sandbox: readlink(/proc/1/exe) fails with EACCES, even for root
        Files.write(pid(1).resolve("cmdline"), "/process_api\0--firecracker-init\0--addr x y\0".getBytes(StandardCharsets.UTF_8));
        comm(1, "process_api\n");
        assertEquals("/process_api", new ProcFs(proc).command(1));
    }

    @Test
    void argvZeroWithSpacesKept() throws Exception {
        Files.write(pid(8).resolve("cmdline"), "/opt/my app/bin\0-x\0".getBytes(StandardCharsets.UTF_8));
        assertEquals("/opt/my app/bin", new ProcFs(proc).command(8));
    }

    @Test
    void noCmdlineFallsBackToComm() throws Exception {
        Files.writeString(pid(2).resolve("cmdline"), ""); // kernel threads have an empty cmdline
        comm(2, "kthreadd\n");
        assertEquals("kthreadd", new ProcFs(proc).command(2));
    }

    @Test
    void aThreadNameIsUtf8Text() throws Exception {
        comm(9, "caf\u00e9\n");
        assertEquals("caf\u00e9", new ProcFs(proc).threadName(9, 9));
        assertNull(new ProcFs(proc).threadName(9, 10));
    }

    @Test
    void goneProcessHasNoCommand() {
        assertNull(new ProcFs(proc).command(4194304));
    }

    @Test
    void pidOneHasANameOnThisMachine() {
        // the parent of most daemons: "ParentProc [?.1]" was printed where its exe link is unreadable
        assertNotNull(ProcFs.system().command(1));
    }

    @Test
    void theContainerComesFromTheCgroupFile() throws Exception {
        String id = ContainerIdsTest.A;
        Files.writeString(pid(5).resolve("cgroup"), "0::/system.slice/docker-" + id + ".scope\n");
        Files.writeString(pid(6).resolve("cgroup"), "0::/user.slice\n");
        ProcFs fs = new ProcFs(proc);
        assertEquals(id, fs.fullContainerId(5));
        assertEquals(id.substring(0, 12), fs.containerId(5));
        assertNull(fs.fullContainerId(6));
        assertEquals("host", fs.containerId(6));
        assertEquals("host", fs.containerId(4194304));
    }
}
