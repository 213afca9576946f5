// SPDX-License-Identifier: Apache-2.0
package io.wiretop.sys;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real signals sent to this test's own JVM: while trapped, SIGHUP and SIGTERM are a stop request
 * (counted once), not the JVM's exit. Were the trap broken, the signal would end the test JVM and
 * the run would fail loudly.
 */
class StopSignalsTest {
    private static void kill(String sig) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    }

    private static void awaitStop(StopSignals s) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!s.stopping() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void aStopSignalIsAStopRequestCountedOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (StopSignals s = StopSignals.trap(calls::incrementAndGet, 60_000)) {
            assertFalse(s.stopping());
            kill("HUP");
            awaitStop(s);
            assertEquals("HUP", s.signal());
            kill("TERM"); // a second signal (Ctrl-C also forwarded by the launcher) changes nothing
            Thread.sleep(300);
            assertEquals("HUP", s.signal());
            assertEquals(1, calls.get());
        }
    }
}
