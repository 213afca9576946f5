// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a normal exit, SIGTERM or SIGKILL, nothing of wiretop's stays loaded or attached in the
 * kernel: the programs and links its process held (read from its fd table) are gone from bpftool.
 */
class CleanupKernelIT {
    @BeforeAll
    static void root() {
        KernelHarness.requireRoot();
    }

    private static KernelHarness.Owned whileRunning(KernelHarness.Wiretop w) throws Exception {
        w.awaitIntervals(1, 30_000);
        KernelHarness.Owned owned = KernelHarness.owned(w.process.pid());
        Map<Long, String> progs = KernelHarness.programs();
        Set<String> names = new HashSet<>();
        owned.progs().forEach(id -> names.add(progs.get(id)));
        Set<String> expected = Set.of("wt_sock_send", "wt_sock_recv", "wt_sock_state", "wt_sock_release", "wt_exec", "wt_fork",
                "wt_exit", "wt_sys_exit", "wt_sock_create", "wt_post_bind4", "wt_post_bind6", "wt_pkt_egress",
                "wt_pkt_ingress");
        assertEquals(expected, names, "wiretop holds its programs while it runs");
        assertEquals(expected.size(), owned.links().size(), "one link per program");
        assertTrue(KernelHarness.links().containsAll(owned.links()), "and bpftool lists the links");
        return owned;
    }

    private static void assertReleased(KernelHarness.Owned owned) throws Exception {
        KernelHarness.assertReleased(owned, "the exit");
    }

    @Test
    void normalExitAfterNIntervals() throws Exception {
        try (KernelHarness.Wiretop w = new KernelHarness.Wiretop("--json", "--all", "-d", "300", "-n", "4")) {
            KernelHarness.Owned owned = whileRunning(w);
            assertTrue(w.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, w.process.exitValue(), w.stderr());
            assertEquals(4, w.lines.size());
            assertReleased(owned);
        }
    }

    @Test
    void sigterm() throws Exception {
        try (KernelHarness.Wiretop w = new KernelHarness.Wiretop("--json", "--all", "-d", "300")) {
            KernelHarness.Owned owned = whileRunning(w);
            w.signal("TERM");
            assertTrue(w.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, w.process.exitValue(), "a stop signal is a clean stop (csysdig and tcpdump exit 0)");
            assertTrue(w.stderr().isEmpty(), "no stack trace on SIGTERM: " + w.stderr());
            assertReleased(owned);
        }
    }

    @Test
    void sigkill() throws Exception {
        try (KernelHarness.Wiretop w = new KernelHarness.Wiretop("--json", "--all", "-d", "300")) {
            KernelHarness.Owned owned = whileRunning(w);
            w.signal("KILL");
            assertTrue(w.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, w.process.exitValue());
            assertReleased(owned);
        }
    }
}
