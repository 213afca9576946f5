// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes that live a few milliseconds keep their name and parent: 50 clients, each exec'd
 * through a symlink named wt-kid (which sets its comm), connect, write 5000 bytes and exit; the
 * server reads each 1.5 s later, so most of a client's bytes cross the wire, and are counted for
 * it, after it is gone from /proc. Every row of a client that has bytes must say wt-kid and the
 * spawner's pid, and the bytes must add up.
 */
class ShortLivedKernelIT {
    private static final int CLIENTS = 50;
    private static final long BYTES = 5000;

    @Test
    void shortLivedProcessesKeepTheirCommParentAndBytes() throws Exception {
        KernelHarness.requireRoot();
        Path kid = KernelHarness.workDir().resolve("wt-kid");
        Files.deleteIfExists(kid);
        Files.createSymbolicLink(kid, KernelHarness.workload().toAbsolutePath());
        try (KernelHarness.Wiretop w = new KernelHarness.Wiretop("--json", "-W", "-v", "procs", "-d", "200")) {
            w.awaitIntervals(1, 30_000);
            List<KernelHarness.Moved> moved = KernelHarness.runWorkload("spawn", Integer.toString(CLIENTS),
                    Long.toString(BYTES), kid.toAbsolutePath().toString());
            w.awaitIntervals(5, 20_000); // the last bytes, the last exits
            long spawner = moved.stream().filter(m -> m.role().equals("spawner")).findFirst().orElseThrow().pid();
            List<KernelHarness.Moved> clients = moved.stream().filter(m -> m.role().equals("short")).toList();
            assertEquals(CLIENTS, clients.size(), "clients that reported: " + KernelHarness.lastOutput());
            long total = 0;
            for (KernelHarness.Moved c : clients) {
                List<JsonNode> rows = w.rows(c.pid());
                long net = 0, wire = 0;
                for (JsonNode r : rows) {
                    long n = r.get("net_bytes_in").asLong() + r.get("net_bytes_out").asLong();
                    long b = n + r.get("wire_bytes_in").asLong() + r.get("wire_bytes_out").asLong();
                    if (b > 0) {
                        assertEquals("wt-kid", r.get("comm").asText(), "comm of client " + c.pid() + ": " + r);
                        assertEquals(spawner, r.get("ppid").asLong(), "ppid of client " + c.pid() + ": " + r);
                    }
                    net += r.get("net_bytes_out").asLong();
                    wire += r.get("wire_bytes_out").asLong();
                }
                assertEquals(c.netOut(), net, "NET out of client " + c.pid() + ": " + rows);
                // all its bytes and their headers: those that crossed the wire after it exited too
                assertTrue(wire > BYTES, "WIRE out of client " + c.pid() + " (" + wire + ") holds its " + BYTES
                        + " bytes and their headers: " + rows);
                total += net;
            }
            assertEquals(CLIENTS * BYTES, total);
            long server = moved.stream().filter(m -> m.role().equals("server")).findFirst().orElseThrow().pid();
            assertEquals(CLIENTS * BYTES, w.sum(server, "net_bytes_in"));
        }
    }
}
