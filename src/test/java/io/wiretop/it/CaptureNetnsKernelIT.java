// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `wiretop capture --netns NAME` keeps exactly the packets of processes in that network namespace:
 * the same workload runs at once in a namespace of the test's own and in the host's.
 */
class CaptureNetnsKernelIT {
    private static final Pattern LINE = Pattern.compile("^\\S+ \\S+ workload\\.(\\d+) (In|Out) ");

    private static String sh(String... cmd) throws Exception {
        return KernelHarness.sh(30, cmd);
    }

    @Test
    void onlyPacketsOfProcessesInTheNamespaceAreCaptured() throws Exception {
        KernelHarness.requireRoot();
        String ns = "wtit" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", ns);
        Process cap = null;
        try {
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            cap = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "capture", "-n", "--netns", ns, "tcp")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(4000); // JVM start and BPF attach
            Process capture = cap;
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    lines.addAll(new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                } catch (java.io.IOException e) {
                    // ended
                }
            });
            reader.start();
            List<KernelHarness.Moved> host = KernelHarness.runWorkload("tcp", "4", "100000", "10000");
            Process inNs = new ProcessBuilder("ip", "netns", "exec", ns, KernelHarness.workload().toString(),
                    "tcp", "4", "100000", "10000").start();
            String nsOut = new String(inNs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(inNs.waitFor(30, TimeUnit.SECONDS) && inNs.exitValue() == 0, nsOut);
            Thread.sleep(1500);
            new ProcessBuilder("kill", "-TERM", Long.toString(cap.pid())).start().waitFor();
            assertTrue(cap.waitFor(20, TimeUnit.SECONDS));
            reader.join(5000);

            Set<Long> nsPids = new HashSet<>();
            Matcher m = Pattern.compile("pid=(\\d+) role=").matcher(nsOut);
            while (m.find()) {
                nsPids.add(Long.parseLong(m.group(1)));
            }
            assertEquals(2, nsPids.size());
            // `ip netns exec` execs the workload: its parent (which made the listening socket, and so owns
            // an accepted socket's first packets) is that process
            nsPids.add(inNs.pid());
            Set<Long> hostPids = new HashSet<>();
            host.forEach(h -> hostPids.add(h.pid()));
            Set<Long> seen = new HashSet<>();
            int matched = 0;
            for (String l : lines) {
                Matcher lm = LINE.matcher(l);
                if (lm.find()) {
                    matched++;
                    seen.add(Long.parseLong(lm.group(1)));
                }
            }
            assertTrue(matched > 10, "packets of the namespace's workload were printed: " + lines.size() + " lines");
            assertFalse(seen.stream().anyMatch(hostPids::contains), "no host packet: seen " + seen + ", host " + hostPids);
            assertTrue(nsPids.containsAll(seen), "only the namespace's processes: seen " + seen + ", ns " + nsPids);
        } finally {
            if (cap != null) {
                cap.destroyForcibly();
            }
            sh("ip", "netns", "del", ns);
        }
    }
}
