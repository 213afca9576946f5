// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Containers view on a real terminal (tmux) with a real podman pod: the busy container on top
 * with its name and engine, Enter to its processes with the CONTAINER column, F2 offering Pods,
 * Pods → Enter to the pod's containers, and q ending wiretop with exit code 0.
 */
class ContainersTuiKernelIT {
    @Test
    void containersPodsAndTheirProcessesOnScreen() throws Exception {
        KernelHarness.requireRoot();
        Path workload = ContainersKernelIT.staticWorkload();
        try (Runtimes rt = Runtimes.open("ctrtui"); TmuxShell sh = new TmuxShell()) {
            Runtimes.Podman podman = rt.podman();
            Path socket = podman.service();
            String pod = rt.tag() + "-pod";
            podman.pod("pod");
            Runtimes.Container web = podman.run("web", List.of("--pod", pod, "-v", workload + ":/w:ro"), "/w", "stream", "120");
            podman.run("idle", List.of("--network", "none"), "sleep", "120");
            sh.run("CONTAINER_HOST=unix://" + socket + " java -jar " + KernelHarness.jar().toAbsolutePath()
                    + " -v containers -d 1000");
            sh.waitFor("the pod's busy container named on the first row", () -> {
                String[] l = screenLines(sh);
                return l.length > 3 && l[3].contains(web.name()) && l[3].contains("podman")
                        && l[3].contains(web.id().substring(0, 12));
            }, 60_000);
            assertTrue(sh.shows(rt.tag() + "-idle"), "the idle container is listed too");
            sh.keys("Enter");
            sh.waitFor("the container's processes", () -> sh.shows("Viewing: Processes For: container.id="
                    + web.id().substring(0, 12)), 15_000);
            sh.waitFor("the CONTAINER column with its name", () -> {
                String[] l = screenLines(sh);
                return l.length > 3 && l[2].contains("CONTAINER") && l[3].contains(web.name()) && l[3].contains("/w stream");
            }, 15_000);
            sh.keys("BSpace");
            sh.waitFor("back on Containers", () -> sh.shows("Viewing: Containers For: whole machine"), 15_000);
            sh.keys("F2");
            sh.waitFor("the view menu offering Pods", () -> sh.shows(" Pods "), 10_000);
            sh.keys("Escape"); // alone: Esc then a key within a moment is Alt+key (Esc+2 = F2)
            sh.waitFor("the menu closed", () -> !sh.shows("Select View"), 10_000);
            sh.keys("q");
            assertEquals(0, sh.exitCode(30_000), "wiretop ended with q");
            sh.run("CONTAINER_HOST=unix://" + socket + " java -jar " + KernelHarness.jar().toAbsolutePath()
                    + " -v pods -d 1000");
            sh.waitFor("the pod", () -> {
                String[] l = screenLines(sh);
                return l.length > 3 && l[3].contains(pod);
            }, 60_000);
            sh.keys("Enter");
            sh.waitFor("the pod's containers", () -> sh.shows("k8s.pod.name=" + pod) && sh.shows(web.name())
                    && sh.shows("-infra"), 15_000);
            sh.keys("q");
            assertEquals(0, sh.exitCode(30_000), "wiretop ended with q");
        }
    }

    /** The last screenful: the pane's lines after the last "Viewing:" header. */
    private static String[] screenLines(TmuxShell sh) {
        try {
            String s = sh.screen();
            int at = s.lastIndexOf("Viewing:");
            return at < 0 ? new String[0] : s.substring(at).split("\n");
        } catch (Exception e) {
            return new String[0];
        }
    }
}
