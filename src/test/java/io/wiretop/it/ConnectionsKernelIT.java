// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Connections view on real traffic: tuples, addresses and per-socket byte counts. */
class ConnectionsKernelIT {
    private static KernelHarness.Wiretop wiretop;

    @BeforeAll
    static void start() throws Exception {
        KernelHarness.requireRoot();
        KernelHarness.workload();
        wiretop = new KernelHarness.Wiretop("--json", "-v", "connections", "-d", "300");
        wiretop.awaitIntervals(1, 30_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (wiretop != null) {
            wiretop.close();
        }
    }

    private static KernelHarness.Moved role(List<KernelHarness.Moved> moved, String role) {
        return moved.stream().filter(m -> m.role().equals(role)).findFirst().orElseThrow();
    }

    @Test
    void ipv6ConnectionHasBothEndsAndExactBytes() throws Exception {
        List<KernelHarness.Moved> moved = KernelHarness.runWorkload("tcp", "6", "250000", "4096");
        wiretop.awaitIntervals(2, 10_000);
        KernelHarness.Moved client = role(moved, "client"), server = role(moved, "server");
        List<JsonNode> c = wiretop.rows(client.pid());
        List<JsonNode> s = wiretop.rows(server.pid());
        assertFalse(c.isEmpty() || s.isEmpty(), "both ends are listed");
        JsonNode cr = c.get(0), sr = s.get(0);
        assertEquals("tcp", cr.get("proto").asText());
        assertEquals("::1", cr.get("lip").asText());
        assertEquals("::1", cr.get("rip").asText());
        assertEquals(cr.get("rport").asInt(), sr.get("lport").asInt(), "client's remote port is the server's port");
        assertEquals(cr.get("lport").asInt(), sr.get("rport").asInt());
        assertTrue(sr.get("server").asBoolean() && !cr.get("server").asBoolean(), "server side is known");
        assertEquals(250000, wiretop.sum(client.pid(), "bytes_out"));
        assertEquals(1000, wiretop.sum(client.pid(), "bytes_in"));
        assertEquals(250000, wiretop.sum(server.pid(), "bytes_in"));
        assertEquals(1000, wiretop.sum(server.pid(), "bytes_out"));
    }

    @Test
    void ipv4MappedAddressesAreShownAsIpv4() throws Exception {
        List<KernelHarness.Moved> moved = KernelHarness.runWorkload("mapped", "30000");
        wiretop.awaitIntervals(2, 10_000);
        List<JsonNode> rows = wiretop.rows(role(moved, "server").pid());
        assertFalse(rows.isEmpty());
        for (JsonNode r : rows) {
            assertEquals("127.0.0.1", r.get("lip").asText(), "no ::ffff: prefix: " + r);
            assertEquals("127.0.0.1", r.get("rip").asText());
        }
        assertEquals(30000, wiretop.sum(role(moved, "server").pid(), "bytes_in"));
    }

    @Test
    void withoutRootTheErrorIsOneClearLine() throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "java", "-jar", KernelHarness.jar().toString(), "--json", "-n", "1").start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("wiretop: root (or CAP_BPF and CAP_PERFMON) is needed to load eBPF programs: "
                + "run it with sudo", err.strip());
    }
}
