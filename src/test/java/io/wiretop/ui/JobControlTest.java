// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.host.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether a Ctrl-Z can stop wiretop's group, decided from a /proc made by the test. */
class JobControlTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path proc;

    private void stat(long pid, String comm, long ppid, long pgrp, long session) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S " + ppid + " " + pgrp + " " + session
                + " 34816 0 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
    }

    @Test
    void aGroupWhoseParentsAreAllInsideOrInAnotherSessionIsOrphaned() throws IOException {
        // tmux pane command: sh (leader of group 500, its parent the tmux server in session 1) → launcher → java
        stat(1, "init", 0, 1, 1);
        stat(300, "tmux: server", 1, 300, 300);
        stat(500, "sh", 300, 500, 500);
        stat(600, "wiretop", 500, 500, 500);
        stat(SELF, "java", 600, 500, 500);
        assertTrue(JobControl.groupOrphaned(new ProcFs(proc)));
    }

    @Test
    void aShellInTheSameSessionAboveTheGroupCanContinueIt() throws IOException {
        // interactive bash (group 400) started the job (group 600) in its session 400
        stat(1, "init", 0, 1, 1);
        stat(400, "bash", 1, 400, 400);
        stat(600, "wiretop", 400, 600, 400);
        stat(SELF, "java (x) y", 600, 600, 400); // a comm with spaces and parentheses
        assertFalse(JobControl.groupOrphaned(new ProcFs(proc)));
    }

    @Test
    void aParentInAnotherGroupButAnotherSessionDoesNotCount() throws IOException {
        stat(1, "init", 0, 1, 1);
        stat(400, "sshd", 1, 400, 400);
        stat(600, "wiretop", 400, 600, 600);
        stat(SELF, "java", 600, 600, 600);
        assertTrue(JobControl.groupOrphaned(new ProcFs(proc)));
    }
}
