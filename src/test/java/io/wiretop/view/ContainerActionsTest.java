// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.host.ContainerMeta;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Losses;
import io.wiretop.model.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F8 on a container runs its own runtime's command: the Containers view's actions, expanded for a
 * row and run by /bin/sh as the UI runs them, with stub runtimes on PATH that say how they were
 * called. A hostile name cannot break out of its quotes.
 */
class ContainerActionsTest {
    static ViewRegistry views;
    @TempDir
    Path bin;

    @BeforeAll
    static void load() throws ViewLoadException {
        views = ViewRegistry.load(List.of());
    }

    private String run(String engine, String hotkey) throws Exception {
        for (String tool : List.of("docker", "podman", "crictl", "lxc-attach", "lxc-info", "lxc-stop", "machinectl", "journalctl")) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho \"" + tool + " $*\"\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ContainerMeta meta = engine == null ? null : new ContainerMeta("abcdef012345" + "0".repeat(52), "web", "img",
                engine, null, null, Map.of());
        ProcessRow r = new ProcessRow(7, 1, 1, "x", "x", "root", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, "abcdef012345", false, 0, 0,
                meta);
        ViewDef v = views.get("containers");
        Snapshot s = new Snapshot(1, 0, 1, Map.of(Snapshot.PROCESSES, List.of(r)), Losses.NONE, "t");
        TableRow row = ViewTable.build(v, s, Filter.ALL).rows().get(0);
        String cmd = v.action(hotkey).commandFor(row);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, cmd + ": " + out);
        return out;
    }

    @Test
    void eachRuntimeGetsItsOwnCommand() throws Exception {
        assertEquals("podman inspect abcdef012345", run("podman", "i"));
        assertEquals("docker inspect abcdef012345", run("docker", "i"));
        assertEquals("docker inspect abcdef012345", run(null, "i"), "unknown engine: docker's command");
        assertEquals("crictl inspect abcdef012345", run("cri-o", "i"));
        assertEquals("podman logs --tail 200 abcdef012345", run("podman", "l"));
        assertEquals("docker stop abcdef012345", run("docker", "s"));
        assertEquals("podman exec -i -t abcdef012345 /bin/sh", run("podman", "b"));
        assertEquals("podman kill abcdef012345", run("podman", "k"));
        assertEquals("crictl stop -t 0 abcdef012345", run("containerd", "k"));
    }

    @Test
    void everyContainerActionIsNamedInTheMenu() {
        ViewDef v = views.get("containers");
        assertEquals(List.of("b", "i", "l", "s", "k"), v.actions().stream().map(ActionDef::hotkey).toList());
        assertTrue(v.action("s").askConfirmation() && v.action("k").askConfirmation(), "stop and kill ask first");
    }
}
