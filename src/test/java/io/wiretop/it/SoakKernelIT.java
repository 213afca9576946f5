// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 5-minute churn soak of issue 8 (bench/soak/run.sh): the full-screen UI in tmux under 200
 * processes/s and 1000 loopback connections/s, judged by bench/soak/soak.py. First the judge itself
 * is checked on recorded series that must pass or fail, so a verdict of PASS means something.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SoakKernelIT {
    private static final Path ROOT = Path.of(System.getProperty("wiretop.sources", "."));

    @BeforeAll
    static void root() {
        KernelHarness.requireRoot();
    }

    private record Run(int rc, String out) {
    }

    private static Run run(long timeoutMinutes, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("bench/soak/run.sh").toString()));
        cmd.addAll(List.of(args));
        Path log = KernelHarness.workDir().resolve("soak-" + args[0].replace("-", "") + ".log");
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            return new Run(-1, "timed out after " + timeoutMinutes + " min:\n" + read(log));
        }
        return new Run(p.exitValue(), read(log));
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void theVerdictsFailOnRecordedLeaksAndLosses() throws Exception {
        Run r = run(2, "--selftest");
        assertEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("selftest: PASS") && !r.out().contains("WRONG"), r.out());
        assertTrue(r.out().contains("ok    one fd leaked every 30 s"), r.out());
    }

    @Test
    @Order(2)
    void fiveMinutesOfChurnUnderTheUi() throws Exception {
        Run r = run(12, "--minutes", "5", "--out", KernelHarness.workDir().resolve("soak").toString());
        System.out.println(r.out());
        assertEquals(0, r.rc(), "the soak failed:\n" + r.out());
        assertTrue(r.out().contains("soak: PASS") && !r.out().contains("FAIL"), r.out());
        // every criterion was judged, none skipped
        for (String c : List.of("RSS max", "RSS flat", "fds:", "screen rows", "--json lost counters",
                "exited rows gone", "every churned process has a row", "NET of the churn client",
                "NET of the churn server", "the UI quit on q")) {
            assertTrue(r.out().contains("ok    " + c), "criterion '" + c + "' not judged ok:\n" + r.out());
        }
    }
}
