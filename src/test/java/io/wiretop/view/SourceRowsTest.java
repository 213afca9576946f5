// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.output.JsonLinesPrinter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filters on connection fields in process views select the processes that had such connections,
 * with the counts of those connections only (sysdig filters events, csysdig shows their processes).
 */
class SourceRowsTest {
    private static ViewRegistry views;

    @BeforeAll
    static void load() throws ViewLoadException {
        views = ViewRegistry.load(List.of());
    }

    private static ProcessRow proc(long pid, String comm, long netIn, long netOut, long fileIn, long wireIn, long wireOut) {
        return new ProcessRow(pid, 1, 7, comm, comm + " --serve", "root", 0, 1, 1 << 20, 1 << 19, 2.5, netIn, netOut,
                fileIn, 0, 12, "host", false, wireIn, wireOut);
    }

    private static ConnectionRow conn(long pid, String comm, long cookie, int lport, int rport, long in, long out,
                                      long wireIn, long wireOut) {
        return new ConnectionRow(pid, 7, comm, comm, cookie, "tcp", "127.0.0.1", lport, "127.0.0.1", rport,
                lport == 18080 || lport == 22, in, out, 3, 4, "host", wireIn, wireOut);
    }

    /**
     * nginx serves 18080 (two clients) and calls an upstream on 443; curl is a client of 18080 and
     * of 443; sshd has a port-22 session and reads files; cron has no connection at all.
     */
    private static Snapshot machine() {
        List<ProcessRow> procs = List.of(
                proc(100, "nginx", 3000 + 500 + 70, 9000 + 800 + 30, 0, 3400, 10200),
                proc(200, "curl", 9000 + 40, 3000 + 20, 0, 9300, 3100),
                proc(300, "sshd", 600, 900, 4096, 700, 1000),
                proc(400, "cron", 0, 0, 8192, 0, 0));
        List<ConnectionRow> conns = List.of(
                conn(100, "nginx", 1, 18080, 40001, 3000, 9000, 3100, 9200),
                conn(100, "nginx", 2, 18080, 40002, 500, 800, 600, 900),
                conn(100, "nginx", 3, 40003, 443, 70, 30, 100, 60),
                conn(200, "curl", 4, 40001, 18080, 9000, 3000, 9200, 3100),
                conn(200, "curl", 5, 40004, 443, 40, 20, 100, 0),
                conn(300, "sshd", 6, 22, 50000, 600, 900, 700, 1000));
        return new Snapshot(1, 0, 2.0, Map.of(Snapshot.PROCESSES, procs, Snapshot.CONNECTIONS, conns), Losses.NONE, "t");
    }

    private static ViewTable procs(String filter) throws FilterSyntaxException {
        return ViewTable.build(views.get("procs"), machine(), Filter.parse(filter));
    }

    private static List<Object> pids(ViewTable t) {
        return t.rows().stream().map(r -> r.value("proc.pid")).toList();
    }

    @Test
    void aLocalPortSelectsTheServerWithTheNetOfThoseConnections() throws Exception {
        ViewTable t = procs("fd.lport = 18080");
        assertEquals(List.of(100L), pids(t));
        // (3000 + 9000 + 500 + 800) bytes in 2 s; the upstream connection on 443 is not counted
        assertEquals(6650.0, (Double) t.rows().get(0).value("evt.buflen.net"), 1e-9);
        assertEquals((3100 + 9200 + 600 + 900) / 2.0, (Double) t.rows().get(0).value("evt.wirelen"), 1e-9);
        assertEquals(0.0, (Double) t.rows().get(0).value("evt.buflen.file"), 1e-9, "no file I/O on a socket");
        assertEquals(2.5, (Double) t.rows().get(0).value("thread.cpu"), 1e-9, "process state is kept");
    }

    @Test
    void aRemotePortSelectsTheClients() throws Exception {
        assertEquals(List.of(200L), pids(procs("fd.rport = 18080")));
        // nginx's upstream and curl's second connection both go to 443
        ViewTable t = procs("fd.rport = 443");
        assertEquals(List.of(100L, 200L), pids(t));
        assertEquals(50.0, (Double) t.rows().get(0).value("evt.buflen.net"), 1e-9);
    }

    @Test
    void theReadmeExampleShowsNginxWithItsPort443TrafficOnly() throws Exception {
        ViewTable t = procs("proc.name = nginx and fd.rport = 443");
        assertEquals(List.of(100L), pids(t));
        assertEquals((70 + 30) / 2.0, (Double) t.rows().get(0).value("evt.buflen.net"), 1e-9);
    }

    @Test
    void aNegatedConnectionTermKeepsProcessesWithoutConnectionsAndDropsOnlyThatTraffic() throws Exception {
        ViewTable t = procs("not fd.lport = 22");
        assertEquals(List.of(100L, 200L, 300L, 400L), pids(t).stream().sorted().toList());
        TableRow sshd = t.rows().stream().filter(r -> r.value("proc.pid").equals(300L)).findFirst().orElseThrow();
        assertEquals(0.0, (Double) sshd.value("evt.buflen.net"), 1e-9, "its only connection is on port 22");
        assertEquals(2048.0, (Double) sshd.value("evt.buflen.file"), 1e-9, "its file reads are not on port 22");
    }

    @Test
    void aFilterWithoutConnectionFieldsStillTestsWholeProcesses() throws Exception {
        // nginx moved 13400 bytes in all; none of its connections alone moved more than 12000
        assertEquals(List.of(100L, 200L), pids(procs("evt.buflen.net > 12050")));
        assertFalse(SourceRows.usesConnectionFields(Filter.parse("proc.name = nginx or evt.buflen.net > 1").root));
        assertTrue(SourceRows.usesConnectionFields(Filter.parse("proc.name = a or not (fd.cport exists)").root));
    }

    @Test
    void connectionViewsAreUnchanged() throws Exception {
        ViewTable t = ViewTable.build(views.get("connections"), machine(), Filter.parse("fd.lport = 18080"));
        assertEquals(2, t.rows().size());
    }

    @Test
    void jsonPrintsTheSameProcessesWithTheMatchingCounts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLinesPrinter(out, "procs").print(machine(), Filter.parse("fd.lport = 18080"));
        JsonNode rows = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("rows");
        assertEquals(1, rows.size());
        assertEquals(100, rows.get(0).get("pid").asLong());
        assertEquals(3500, rows.get(0).get("net_bytes_in").asLong());
        assertEquals(9800, rows.get(0).get("net_bytes_out").asLong());
        assertEquals(3700, rows.get(0).get("wire_bytes_in").asLong());
    }
}
