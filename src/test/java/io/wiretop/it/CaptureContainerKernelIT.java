// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `wiretop capture --container-id PREFIX` keeps exactly the packets of processes in that
 * container's cgroup, including processes it starts after the capture began. No container runtime
 * runs on these machines, so the test makes what a runtime makes: a cgroup named
 * docker-&lt;64 hex&gt;.scope under the cgroup v2 root, with the workload moved into it. The same
 * workload runs outside at the same time and must not appear.
 */
class CaptureContainerKernelIT {
    private static final Pattern PID = Pattern.compile("PID: (\\d+)");

    @Test
    void onlyTheContainersProcessesAreCapturedWithTheirContainerId() throws Exception {
        KernelHarness.requireRoot();
        String id = String.format("%016x", System.nanoTime()) + "0".repeat(40) + String.format("%08x", ProcessHandle.current().pid());
        Path root = Path.of(io.wiretop.host.CgroupV2.mountPoint());
        Path slice = root.resolve("wiretop-it.slice"), cg = slice.resolve("docker-" + id + ".scope");
        Path dir = KernelHarness.workDir();
        Path out = dir.resolve("container.pcapng");
        Files.createDirectories(cg);
        Process cap = null;
        try {
            cap = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "capture", "--container-id",
                    id.substring(0, 12), "-w", out.toString(), "tcp").redirectError(dir.resolve("container.err").toFile()).start();
            Thread.sleep(4000); // JVM start and BPF attach: the container's process starts after this
            Process outside = new ProcessBuilder(KernelHarness.workload().toString(), "tcp", "4", "50000", "5000").start();
            // the shell moves itself into the container's cgroup, then becomes the workload
            Process inside = new ProcessBuilder("sh", "-c", "echo $$ > " + cg.resolve("cgroup.procs") + " && exec "
                    + KernelHarness.workload() + " tcp 4 50000 5000").start();
            String insideOut = new String(inside.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String outsideOut = new String(outside.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(inside.waitFor(30, TimeUnit.SECONDS) && inside.exitValue() == 0, insideOut);
            assertTrue(outside.waitFor(30, TimeUnit.SECONDS) && outside.exitValue() == 0, outsideOut);
            Thread.sleep(1500);
            new ProcessBuilder("kill", "-TERM", Long.toString(cap.pid())).start().waitFor();
            assertTrue(cap.waitFor(20, TimeUnit.SECONDS));
            assertTrue(Files.readString(dir.resolve("container.err")).contains("packets captured"),
                    Files.readString(dir.resolve("container.err")));

            Set<Long> insidePids = pids(insideOut), outsidePids = pids(outsideOut);
            insidePids.add(inside.pid()); // the exec'd shell: the workload's parent, which made the listener
            assertEquals(3, insidePids.size(), insideOut);
            Process t = new ProcessBuilder("tshark", "-r", out.toString(), "-T", "fields", "-e", "frame.comment").start();
            String comments = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(t.waitFor(60, TimeUnit.SECONDS) && t.exitValue() == 0, "tshark read the file");
            int frames = 0;
            for (String frame : comments.split("\n")) {
                if (frame.isBlank()) {
                    continue;
                }
                frames++;
                Matcher m = PID.matcher(frame);
                assertTrue(m.find(), "frame " + frames + " has a process: " + frame);
                long pid = Long.parseLong(m.group(1));
                assertTrue(insidePids.contains(pid), "frame " + frames + " of pid " + pid + " is the container's "
                        + insidePids + ", not the host's " + outsidePids);
                assertTrue(frame.contains("ContainerId: " + id), "frame " + frames + " names the container: " + frame);
            }
            assertTrue(frames > 20, "the container's traffic was captured: " + frames + " frames");
        } finally {
            if (cap != null) {
                cap.destroyForcibly();
            }
            Files.deleteIfExists(cg);
            Files.deleteIfExists(slice);
        }
    }

    private static Set<Long> pids(String workloadOutput) {
        Set<Long> r = new HashSet<>();
        Matcher m = Pattern.compile("pid=(\\d+) role=").matcher(workloadOutput);
        while (m.find()) {
            r.add(Long.parseLong(m.group(1)));
        }
        return r;
    }
}
