// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A wiretop run by a kernel test with a metrics endpoint on an ephemeral loopback port (serve, or
 * --metrics-listen beside a table): the port is read from its stderr line, stderr is kept for
 * messages, and {@link #stop} checks a clean exit with its BPF programs gone.
 */
final class MetricsChild {
    private static final Pattern LISTENING = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    final Process process;
    final StringBuffer stderr = new StringBuffer();
    final AtomicInteger port = new AtomicInteger();

    MetricsChild(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", KernelHarness.jar().toString()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    stderr.append(l).append('\n');
                    Matcher m = LISTENING.matcher(l);
                    if (m.find()) {
                        port.set(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    int awaitPort() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (port.get() == 0) {
            if (!process.isAlive()) {
                fail("wiretop exited with " + process.exitValue() + ": " + stderr);
            }
            assertTrue(System.currentTimeMillis() < deadline, "no metrics line in 180 s: " + stderr); // the verifier is slow on a busy machine
            Thread.sleep(100);
        }
        return port.get();
    }

    /** Sends a signal, waits for the exit; checks exit 0 and that its BPF programs are gone. */
    void stop(String sig) throws Exception {
        KernelHarness.Owned owned = KernelHarness.owned(process.pid());
        assertFalse(owned.progs().isEmpty(), "wiretop held BPF programs while it ran");
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped on SIG" + sig);
        assertEquals(0, process.exitValue(), "exit code after SIG" + sig + "; stderr: " + stderr);
        KernelHarness.assertReleased(owned, "SIG" + sig);
    }

    void kill() {
        process.destroyForcibly();
    }
}
