// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real BPF, real traffic: child processes move exactly known payload bytes on loopback, and the
 * per-pid totals that `wiretop --json` prints, summed over its intervals, must equal them.
 */
class NetAccountingKernelIT {
    private static KernelHarness.Wiretop wiretop;

    @BeforeAll
    static void start() throws Exception {
        KernelHarness.requireRoot();
        KernelHarness.workload(); // compile before the clock starts
        wiretop = new KernelHarness.Wiretop("--json", "--file-io", "-d", "300");
        wiretop.awaitIntervals(1, 30_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (wiretop != null) {
            wiretop.close();
        }
    }

    /** Runs a workload, waits until wiretop has closed the intervals it fell in, checks every pid. */
    private static List<KernelHarness.Moved> check(String... workload) throws Exception {
        List<KernelHarness.Moved> moved = KernelHarness.runWorkload(workload);
        wiretop.awaitIntervals(2, 10_000);
        for (KernelHarness.Moved m : moved) {
            String who = String.join(" ", workload) + " " + m.role() + " pid " + m.pid();
            assertEquals(m.netIn(), wiretop.sum(m.pid(), "net_bytes_in"), who + ": NET in");
            assertEquals(m.netOut(), wiretop.sum(m.pid(), "net_bytes_out"), who + ": NET out");
        }
        return moved;
    }

    @Test
    void tcpIpv4BytesAreExactPerProcess() throws Exception {
        check("tcp", "4", "3000000", "65536");
    }

    @Test
    void tcpIpv6BytesAreExactPerProcess() throws Exception {
        check("tcp", "6", "777777", "1000");
    }

    @Test
    void connectedUdpIpv4DatagramsAreExact() throws Exception {
        check("udp", "4", "2000", "1200");
    }

    @Test
    void unconnectedUdpIpv6DatagramsAreExact() throws Exception {
        check("udpu", "6", "1000", "700");
    }

    @Test
    void burstOfHundredShortConnectionsIsFullyCounted() throws Exception {
        check("burst", "100", "1000");
    }

    @Test
    void socketSharedByParentAndForkedChildIsSplitByWriter() throws Exception {
        List<KernelHarness.Moved> moved = check("shared", "100000", "50000");
        // the shared socket appears under both pids, each with what it wrote itself
        assertEquals(3, moved.size());
    }

    @Test
    void fileBytesAreExact() throws Exception {
        List<KernelHarness.Moved> moved = KernelHarness.runWorkload("file", "1048576");
        wiretop.awaitIntervals(2, 10_000);
        KernelHarness.Moved f = moved.get(0);
        assertEquals(1048576, wiretop.sum(f.pid(), "file_bytes_out"), "FILE out");
        assertEquals(1048576, wiretop.sum(f.pid(), "file_bytes_in"), "FILE in");
        assertEquals(0, wiretop.sum(f.pid(), "net_bytes_out"), "a file is not NET");
    }

    @Test
    void shortLivedExecedProcessIsNamedAndCounted() throws Exception {
        List<KernelHarness.Moved> moved = check("exec", "4242");
        KernelHarness.Moved shortOne = moved.stream().filter(m -> m.role().equals("short")).findFirst().orElseThrow();
        List<JsonNode> rows = wiretop.rows(shortOne.pid());
        assertFalse(rows.isEmpty(), "the short-lived process has a row");
        JsonNode last = rows.get(rows.size() - 1);
        assertEquals("workload", last.get("comm").asText());
        assertTrue(last.get("cmdline").asText().endsWith("short 4242 " + last.get("cmdline").asText().split(" ")[3]),
                "cmdline from the exec event: " + last.get("cmdline").asText());
        assertTrue(last.get("exited").asBoolean(), "its last row says it exited");
    }

    @Test
    void byDefaultOnlyNetIsCollectedAndFileAndWireAreNullNotZero() throws Exception {
        try (KernelHarness.Wiretop plain = new KernelHarness.Wiretop("--json", "-d", "300", "-n", "2")) {
            plain.awaitIntervals(2, 30_000);
            JsonNode line = plain.lines.get(1);
            assertTrue(line.get("source").asText().contains("FILE off"), line.get("source").asText());
            JsonNode row = line.get("rows").get(0);
            assertTrue(row.get("file_bytes_in").isNull() && row.get("wire_bytes_in").isNull(), row.toString());
            assertTrue(row.get("net_bytes_in").isNumber());
        }
    }

    @Test
    void nothingWasLost() throws Exception {
        wiretop.awaitIntervals(1, 10_000);
        JsonNode lost = wiretop.lines.get(wiretop.lines.size() - 1).get("lost");
        assertEquals(0, lost.get("ringbuf_full").asLong() + lost.get("conn_map_full").asLong()
                + lost.get("sys_map_full").asLong() + lost.get("file_map_full").asLong(), "lost: " + lost);
    }
}
