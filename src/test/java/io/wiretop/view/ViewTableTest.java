// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SyscallRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Built-in views over hand-built snapshots with known numbers (curl_google.scap as csysdig shows it). */
class ViewTableTest {
    static ViewRegistry views;

    static final String CURL = "curl -6 http://www.google.com";
    static final String LOCAL6 = "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e";

    @BeforeAll
    static void load() throws ViewLoadException {
        views = ViewRegistry.load(List.of());
    }

    static Snapshot snap(double seconds, String source, List<? extends Row> rows) {
        return new Snapshot(1, 0, seconds, Map.of(source, rows), Losses.NONE, "test");
    }

    static ProcessRow proc(long pid, long ppid, String cmd, String user, long th, long virt, long res, double cpu,
                           long netIn, long netOut, long fileIn, long fileOut, String container) {
        return new ProcessRow(pid, ppid, 1, cmd.split(" ")[0], cmd, user, 0, th, virt, res, cpu, netIn, netOut, fileIn,
                fileOut, 0, container, false);
    }

    static ProcessRow withWire(ProcessRow p, long wireIn, long wireOut) {
        return new ProcessRow(p.pid(), p.ppid(), p.startTicks(), p.comm(), p.cmdline(), p.user(), p.uid(), p.threads(),
                p.virtBytes(), p.resBytes(), p.cpuPercent(), p.netIn(), p.netOut(), p.fileIn(), p.fileOut(), p.syscalls(),
                p.containerId(), p.exited(), wireIn, wireOut);
    }

    /** The curl capture: 8.00 s, tcp 11505 B in / 78 B out in 11 calls, udp 60 B in / 32 B out in 9 calls. */
    static List<ConnectionRow> curlConnections() {
        return List.of(
                new ConnectionRow(17497, 1, "curl", CURL, 2, "udp", LOCAL6, 40251, "2001:4860:4860::8888", 53, false,
                        60, 32, 5, 4, ""),
                new ConnectionRow(17497, 1, "curl", CURL, 1, "tcp", LOCAL6, 37140, "2607:f8b0:4004:802::2004", 80,
                        false, 11505, 78, 9, 2, "", 12000, 3000));
    }

    /** csysdig's columns as csysdig prints them, with wiretop's WIRE IN / WIRE OUT after BPS IN / BPS OUT. */
    @Test
    void connectionsRawLinesMatchCsysdig() {
        ViewTable t = ViewTable.build(views.get("connections"), snap(8.0, Snapshot.CONNECTIONS, curlConnections()),
                Filter.ALL);
        List<String> lines = t.rows().stream().map(t::rawLine).toList();
        assertEquals(List.of(
                "tcp " + LOCAL6 + " 37140 2607:f8b0:4004:802::2004 80      1.40K       9.75      1.46K     375.00       1.38 "
                        + CURL + " ",
                "udp " + LOCAL6 + " 40251 2001:4860:4860::8888 53       7.50       4.00       0.00       0.00       1.12 "
                        + CURL + " "),
                lines);
    }

    @Test
    void procsRawLinesMatchCsysdigAndSortByNet() {
        long fileBytes = 32112; // 3.92K/s over 8 s
        List<ProcessRow> rows = List.of(
                proc(17496, 17495, "sysdig -zw curl.scap proc.name=curl", "root", 1, 131L << 20, 11L << 20, 0.22,
                        0, 0, 0, 0, ""),
                withWire(proc(17497, 3200, CURL, "", 2, 159L << 20, 5L << 20, 0.0, 11505 + 60, 78 + 32, fileBytes, 0, ""),
                        14000, 600),
                proc(25888, -1, "<NA> ", "", 1, 0, 0, 0.0, 0, 7, 0, 0, ""));
        ViewTable t = ViewTable.build(views.get("procs"), snap(8.0, Snapshot.PROCESSES, rows), Filter.ALL);
        assertEquals(List.of(
                "     17497       3200       0.00           2       159M         5M      3.92K      1.43K      1.78K " + CURL + " ",
                "     25888         -1       0.00           1          0          0       0.00       0.88       0.00 <NA>  ",
                "     17496      17495       0.22 root          1       131M        11M       0.00       0.00       0.00 "
                        + "sysdig -zw curl.scap proc.name=curl "),
                t.rows().stream().map(t::rawLine).toList());
        assertEquals("       PID       PPID        CPU USER         TH       VIRT        RES       FILE        NET       WIRE Command ",
                t.rawHeader());
        TableRow curl = t.rows().get(0);
        assertEquals("17497", curl.key());
        assertEquals(17497L, curl.value("proc.pid"));
        assertEquals((11505 + 60 + 78 + 32) / 8.0, (Double) curl.value("evt.buflen.net"), 1e-9);
        assertEquals(List.of("17497", "3200", "0.00", "", "2", "159M", "5M", "3.92K", "1.43K", "1.78K", CURL), curl.cells());
    }

    @Test
    void countsThatAreNotCollectedAreBlankNotZero() {
        // FILE and WIRE collectors off: the rows carry -1 and the fields are null
        ProcessRow off = withWire(proc(1, 0, "init", "root", 1, 0, 0, 0.0, 300, 100, -1, -1, ""), -1, -1);
        ViewDef procs = views.get("procs");
        ViewTable t = ViewTable.build(procs, snap(1.0, Snapshot.PROCESSES, List.of(off)), Filter.ALL);
        assertEquals("     1      0   0.00 root       1     0     0          400.00         init",
                TableText.screenLine(procs, t.rows().get(0), 0));
    }

    @Test
    void screenLinesFollowColumnWidths() {
        ViewDef procs = views.get("procs");
        List<ProcessRow> rows = List.of(proc(17496, 17495, "sysdig -zw curl.scap proc.name=curl", "root", 1,
                131L << 20, 11L << 20, 0.22, 0, 0, 0, 0, ""));
        ViewTable t = ViewTable.build(procs, snap(8.0, Snapshot.PROCESSES, rows), Filter.ALL);
        // csysdig's screen, minus its FILE rendering bug (it shows "0" there for a group-by view)
        // (narrower than csysdig's, so that Command keeps room at 80 columns next to WIRE)
        assertEquals("   PID   PPID    CPU USER      TH  VIRT   RES    FILE     NET    WIRE Command",
                TableText.screenHeader(procs, 0));
        assertEquals(" 17496  17495   0.22 root       1  131M   11M    0.00    0.00    0.00 sysdig -zw curl.scap proc.name=curl",
                TableText.screenLine(procs, t.rows().get(0), 0));
        assertEquals(" 17496  17495   0.22 root       ", TableText.screenLine(procs, t.rows().get(0), 32));
    }

    @Test
    void timeAverageDividesByTheInterval() {
        // 10 x 5034 bytes over 1.000046 s; and csysdig's measured 10 x (34 + 5000) + 100 + 10 = 49.27K
        ProcessRow a = proc(10, 1, "a", "root", 1, 0, 0, 0, 10 * 5000, 10 * 34, 0, 0, "");
        ProcessRow b = proc(11, 1, "b", "root", 1, 0, 0, 0, 10 * 5000 + 100, 10 * 34 + 10, 0, 0, "");
        ViewTable t = ViewTable.build(views.get("procs"), snap(1.000046, Snapshot.PROCESSES, List.of(a, b)), Filter.ALL);
        assertEquals("49.27K", t.rows().get(0).cells().get(8));
        assertEquals("49.16K", t.rows().get(1).cells().get(8));
        assertEquals(50340 / 1.000046, (Double) t.rows().get(1).value("evt.buflen.net"), 1e-9);
    }

    @Test
    void sharedSocketGivesOneRowPerProcessAndSportsGroups() {
        // parent and forked child share socket cookie 5; another connection to port 443 has cookie 6
        List<ConnectionRow> rows = List.of(
                new ConnectionRow(100, 1, "srv", "srv", 5, "tcp", "10.0.0.1", 443, "10.0.0.9", 50000, true, 1000, 0, 1, 0, ""),
                new ConnectionRow(101, 1, "srv", "srv child", 5, "tcp", "10.0.0.1", 443, "10.0.0.9", 50000, true, 3000, 0, 3, 0, ""),
                new ConnectionRow(100, 1, "srv", "srv", 6, "tcp", "10.0.0.1", 443, "10.0.0.8", 50001, true, 500, 20, 2, 1, ""),
                new ConnectionRow(100, 1, "srv", "srv", 7, "udp", "10.0.0.1", 40000, "10.0.0.53", 53, false, 90, 30, 1, 1, ""));
        Snapshot s = snap(2.0, Snapshot.CONNECTIONS, rows);
        ViewTable conns = ViewTable.build(views.get("connections"), s, Filter.ALL);
        assertEquals(List.of("5/101", "5/100", "6/100", "7/100"), conns.rows().stream().map(TableRow::key).toList());
        assertEquals("1.46K", conns.rows().get(0).cells().get(5)); // 3000 B / 2 s

        ViewTable sports = ViewTable.build(views.get("sports"), s, Filter.ALL);
        assertEquals(List.of("443", "53"), sports.rows().stream().map(TableRow::key).toList());
        assertEquals(List.of("443", "2.20K", "10.00", "7"), sports.rows().get(0).cells()); // (1000+3000+500)/2
        // drill-down from the 443 row into connections keeps the three 443 rows
        Filter sel = ViewTable.selection(views.get("sports"), sports.rows().get(0));
        assertEquals("fd.sport=443", sel.text());
        assertEquals(3, ViewTable.build(views.get("connections"), s, sel).rows().size());
    }

    @Test
    void containersGroupProcessesInTwoStages() {
        List<ProcessRow> rows = List.of(
                proc(1, 0, "init", "root", 1, 100, 10, 1.5, 0, 0, 0, 0, ""),
                proc(10, 1, "nginx", "www", 2, 1000, 100, 10.25, 4000, 0, 0, 0, "c0ffee"),
                proc(11, 10, "nginx", "www", 3, 2000, 200, 20.5, 2000, 2000, 0, 0, "c0ffee"),
                proc(20, 1, "redis", "redis", 4, 4000, 400, 5.0, 100, 0, 0, 0, "beef01"));
        ViewDef v = views.get("containers");
        ViewTable t = ViewTable.build(v, snap(2.0, Snapshot.PROCESSES, rows), Filter.ALL);
        assertEquals("container.id", v.keyColumn().field());
        assertEquals(List.of("c0ffee", "beef01"), t.rows().stream().map(TableRow::key).toList());
        // sorted by NET; CPU SUM 30.75, PROCS 2, THREADS 5, VIRT 3000, RES 300, FILE 0.00, NET (4000+4000)/2 = 4000 B/s,
        // WIRE 0, no runtime answer: no engine or image, the id as name
        assertEquals(List.of("30.75", "2", "5", "3K", "300", "0.00", "3.91K", "0.00", "", "", "c0ffee", "c0ffee"),
                t.rows().get(0).cells());
        assertEquals(8000 / 2.0, (Double) t.rows().get(0).value("evt.buflen.net"), 1e-9);
        Filter sel = ViewTable.selection(v, t.rows().get(0));
        assertEquals(2, ViewTable.build(views.get("procs"), snap(2.0, Snapshot.PROCESSES, rows), sel).rows().size());
    }

    @Test
    void sortingNumbersDescStringsAscTiesByKeyNullsLast() {
        ProcessRow first = proc(5, 1, "e", "zed", 1, 0, 0, -1, 0, 0, 0, 0, ""); // no CPU yet
        List<ProcessRow> rows = List.of(first, proc(3, 1, "c", "amy", 1, 0, 0, 2.0, 0, 0, 0, 0, ""),
                proc(4, 1, "d", "bob", 1, 0, 0, 2.0, 0, 0, 0, 0, ""), proc(2, 1, "b", "amy", 1, 0, 0, 9.0, 0, 0, 0, 0, ""));
        ViewDef procs = views.get("procs");
        Snapshot s = snap(1.0, Snapshot.PROCESSES, rows);
        // default: NET descending, all zero -> ties by pid
        assertEquals(List.of("2", "3", "4", "5"), keys(ViewTable.build(procs, s, Filter.ALL)));
        assertEquals(List.of("2", "3", "4", "5"), keys(ViewTable.build(procs, s, null, "CPU", false)));
        assertEquals(List.of("3", "4", "2", "5"), keys(ViewTable.build(procs, s, null, "CPU", true)));
        assertEquals(List.of("2", "3", "4", "5"), keys(ViewTable.build(procs, s, null, "USER", true)));
        assertEquals(List.of("5", "4", "2", "3"), keys(ViewTable.build(procs, s, null, "user.name", false)));
        assertEquals("", ViewTable.build(procs, s, null, "CPU", false).rows().get(3).cells().get(2));
        assertNull(ViewTable.build(procs, s, null).rows().get(3).value("thread.cpu"));
    }

    @Test
    void filtersApplyBeforeGroupingAndFreeTextToCells() throws Exception {
        List<SyscallRow> rows = List.of(
                new SyscallRow(1, "a", "open", "ENOENT", 30), new SyscallRow(2, "b", "open", "ENOENT", 12),
                new SyscallRow(2, "b", "read", "EAGAIN", 50), new SyscallRow(2, "b", "read", "SUCCESS", 900));
        Snapshot s = snap(2.0, Snapshot.SYSCALLS, rows);
        ViewTable errors = ViewTable.build(views.get("errors"), s, Filter.ALL);
        assertEquals(List.of(List.of("50", "EAGAIN"), List.of("42", "ENOENT")),
                errors.rows().stream().map(TableRow::cells).toList());
        ViewTable ofPid2 = ViewTable.build(views.get("errors"), s, Filter.parse("proc.pid = 2"));
        assertEquals(List.of(List.of("50", "EAGAIN"), List.of("12", "ENOENT")),
                ofPid2.rows().stream().map(TableRow::cells).toList());
        ViewTable syscalls = ViewTable.build(views.get("syscalls"), s, Filter.ALL);
        assertEquals(List.of(List.of("475.00", "25.00", "read"), List.of("21.00", "21.00", "open")),
                syscalls.rows().stream().map(TableRow::cells).toList());
        // free text matches the formatted cells ("475.00"), not the raw counts
        assertEquals(List.of("read"), keys(ViewTable.build(views.get("syscalls"), s, Filter.freeText("475.0"))));
        assertEquals(List.of("open"), keys(ViewTable.build(views.get("syscalls"), s,
                Filter.and(Filter.parse("proc.pid = 1"), Filter.freeText("OPE")))));
        assertTrue(ViewTable.build(views.get("syscalls"), s, Filter.freeText("900")).rows().isEmpty());
    }

    @Test
    void actionsExpandFromTheRow() {
        ViewTable t = ViewTable.build(views.get("connections"), snap(8.0, Snapshot.CONNECTIONS, curlConnections()),
                Filter.ALL);
        TableRow tcp = t.rows().get(0);
        ViewDef v = views.get("connections");
        assertEquals("tcpdump -niany host " + LOCAL6 + " and host 2607:f8b0:4004:802::2004 and port 37140 and port 80",
                v.action("c").commandFor(tcp));
        assertEquals("kill 17497", views.get("procs").action("k").commandFor(
                ViewTable.build(views.get("procs"), snap(1, Snapshot.PROCESSES,
                        List.of(proc(17497, 1, CURL, "", 1, 0, 0, 0, 0, 0, 0, 0, ""))), null).rows().get(0)));
        assertEquals("less '/tmp/a b;rm x'", ActionDef.expand("less %fd.name", f -> "/tmp/a b;rm x"));
        assertEquals("echo 'it'\\''s'", ActionDef.expand("echo %proc.name", f -> "it's"));
    }

    @Test
    void emptySourceGivesEmptyTable() {
        ViewTable t = ViewTable.build(views.get("files"), snap(1.0, Snapshot.PROCESSES, List.of()), Filter.ALL);
        assertTrue(t.rows().isEmpty());
    }

    private static List<String> keys(ViewTable t) {
        return t.rows().stream().map(TableRow::key).toList();
    }

    @Test
    void listViewsKeepSourceOrderWithoutGrouping() {
        ViewDef list = new ViewDef("calls", "Calls", "d", List.of(), ViewType.LIST, Snapshot.SYSCALLS, "evt.count > 1",
                List.of(""), null, false,
                List.of(new ColumnDef("N", "evt.count", 6, Aggregation.SUM, null, "n", false, false, false, null),
                        new ColumnDef("CALL", "evt.type", 0, null, null, "c", false, false, false, null)),
                List.of(), null, false);
        List<SyscallRow> rows = List.of(new SyscallRow(1, "a", "read", "SUCCESS", 5),
                new SyscallRow(1, "a", "read", "SUCCESS", 1), new SyscallRow(2, "b", "read", "SUCCESS", 9),
                new SyscallRow(2, "b", "open", "SUCCESS", 2));
        ViewTable t = ViewTable.build(list, snap(1.0, Snapshot.SYSCALLS, rows), Filter.ALL);
        assertEquals(List.of(List.of("5", "read"), List.of("9", "read"), List.of("2", "open")),
                t.rows().stream().map(TableRow::cells).toList());
        assertEquals(List.of("0", "1", "2"), keys(t));
        assertNull(list.keyColumn());
    }

    static PacketRow packet(long seq, long pid, long cookie, String dir, long len, String flags) {
        return new PacketRow(seq, "13:07:17.8760" + seq, dir, "lo", "tcp", "127.0.0.1.58954", "127.0.0.1.8080", len,
                flags, "seq 1:46, ack 1, win 64, length 45", pid, pid, "curl", cookie, null);
    }

    @Test
    void packetsListIsKeyedByCaptureOrderAndShowsExactLengths() {
        ViewDef v = views.get("packets");
        List<PacketRow> rows = List.of(packet(7, 1500, 42, "Out", 1514, "[P.]"), packet(8, 1500, 43, "In", 66, "[.]"),
                packet(9, 733, 44, "In", 1025, ""));
        ViewTable t = ViewTable.build(v, snap(2.0, Snapshot.PACKETS, rows), Filter.ALL);
        assertEquals(List.of("7", "8", "9"), keys(t), "keys follow the packet, not the position");
        assertEquals(List.of("13:07:17.87607", "Out", "lo", "tcp", "127.0.0.1.58954", "127.0.0.1.8080", "1514", "[P.]",
                "1500", "curl", "seq 1:46, ack 1, win 64, length 45"), t.rows().get(0).cells());
        assertEquals("1025", t.rows().get(2).cells().get(6), "a length is exact, not 1K");
        ViewTable drilled = ViewTable.build(v, snap(2.0, Snapshot.PACKETS, rows),
                Filter.and(Filter.equalTo("fd.cookie", 43L), Filter.equalTo("proc.pid", 1500L)));
        assertEquals(List.of("8"), keys(drilled));
        ViewTable since = ViewTable.build(v, snap(2.0, Snapshot.PACKETS, rows), Filter.greaterThan("evt.num", 7L));
        assertEquals(List.of("8", "9"), keys(since));
    }
}
