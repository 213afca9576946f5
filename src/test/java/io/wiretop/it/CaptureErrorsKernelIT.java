// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong during a live capture ends it with one line and a non-zero exit, never a
 * stack trace or a hang: a full disk while packets flow (the write happens on a thread of its
 * own, its failure must still stop the capture), an unknown interface, an unknown container.
 */
class CaptureErrorsKernelIT {
    private record Result(int exit, String stderr) {
    }

    private static Result capture(boolean traffic, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-jar", KernelHarness.jar().toString(), "capture"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (traffic) {
            Thread.sleep(4000);
            KernelHarness.runWorkload("udp", "4", "20000", "64"); // ~14 MB of pcapng: many 1 MiB writes
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the capture ended by itself: " + String.join(" ", args));
        return new Result(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void oneLineError(Result r, String expected) {
        assertEquals(1, r.exit(), r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("wiretop: ")).toList();
        assertEquals(List.of("wiretop: " + expected), lines, r.stderr());
    }

    @Test
    void aFullDiskEndsTheCapture() throws Exception {
        KernelHarness.requireRoot();
        oneLineError(capture(true, "-s", "96", "-w", "/dev/full"), "cannot write /dev/full: No space left on device");
    }

    @Test
    void aClosedPipeEndsTheCapture() throws Exception {
        KernelHarness.requireRoot();
        Process p = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "capture", "-w", "-").start();
        Thread.sleep(4000);
        KernelHarness.runWorkload("udp", "4", "2000", "64");
        p.getInputStream().readNBytes(1000); // `| head -c 1000`
        p.getInputStream().close();
        KernelHarness.runWorkload("udp", "4", "2000", "64");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the capture ended when its reader went away");
        oneLineError(new Result(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)),
                "cannot write -: Broken pipe");
    }

    @Test
    void anUnknownInterfaceIsRefused() throws Exception {
        KernelHarness.requireRoot();
        oneLineError(capture(false, "-i", "nosuchdev0"), "-i nosuchdev0: No such device exists");
    }

    @Test
    void anUnknownContainerIsRefused() throws Exception {
        KernelHarness.requireRoot();
        oneLineError(capture(false, "--container-id", "0123456789ab"), "--container-id 0123456789ab: no cgroup holds that id");
    }
}
