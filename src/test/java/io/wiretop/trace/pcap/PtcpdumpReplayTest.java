// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.decode.Direction;
import io.wiretop.trace.FeedRun;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pcapng in ptcpdump's layout (shared/reference/ptcpdump-and-peers.md 1.3: a dummy-0 interface,
 * then one per device with its ifIndex/netns comment; per packet one opt_comment per context
 * block, Process, Thread (first egress packet only), User, ParentProc, Container, and epb_flags)
 * replays as the right processes, connections and exact WIRE totals, computed here from the
 * packets written.
 */
class PtcpdumpReplayTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String CID = "4ab3c8f09a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4";
    private static final List<String> CURL = List.of("PID: 122868\nCmd: /usr/bin/curl\nArgs: curl kernel.com",
            "UserId: 1000", "ParentPID: 53229\nParentCmd: /usr/bin/bash\nParentArgs: -bash",
            "ContainerName: web\nContainerId: " + CID + "\nContainerImage: docker.io/library/curl:8\n"
                    + "ContainerLabels: {\"app\":\"web\"}");
    private static final List<String> CURL_THREAD = List.of(CURL.get(0), "ThreadId: 122868\nThreadName: curl",
            CURL.get(1), CURL.get(2), CURL.get(3));
    private static final List<String> RESOLVED = List.of(
            "PID: 700\nCmd: /usr/lib/systemd/systemd-resolved\nArgs: /usr/lib/systemd/systemd-resolved",
            "ThreadId: 700\nThreadName: systemd-resolve", "UserId: 101",
            "ParentPID: 1\nParentCmd: /usr/lib/systemd/systemd\nParentArgs: /sbin/init");

    private static final byte[] LOCAL = Frames.ip(10, 0, 2, 15), WEB = Frames.ip(198, 185, 159, 144);
    private static final byte[] STUB = Frames.ip(127, 0, 0, 53), LO = Frames.ip(127, 0, 0, 1);
    private static final byte[] V6A = new byte[16], V6B = new byte[16];

    static {
        V6A[0] = (byte) 0xfd;
        V6A[15] = 1;
        V6B[0] = (byte) 0xfd;
        V6B[15] = 2;
    }

    /** What was written, summed per key: {wire in, wire out, packets}. */
    private final Map<String, long[]> written = new HashMap<>();
    private long ts = T0;

    private void write(PcapNgWriter w, int ifId, byte[] frame, int caplen, Direction dir, List<String> comments,
                       String... keys) throws Exception {
        w.write(ifId, ts, frame, 0, Math.min(caplen, frame.length), frame.length, dir, comments);
        ts += 1_000_000; // 1 ms apart
        for (String k : keys) {
            long[] t = written.computeIfAbsent(k, x -> new long[3]);
            t[dir == Direction.IN ? 0 : 1] += frame.length - Frames.ETH; // the IP packet, as the live hooks count
            t[2]++;
        }
    }

    private Path ptcpdumpFile(Path dir) throws Exception {
        Path f = dir.resolve("curl.pcapng");
        try (OutputStream os = Files.newOutputStream(f); PcapNgWriter w = new PcapNgWriter(os, "ptcpdump v0.30.0")) {
            w.addInterface("dummy-0", 1, 65535, null, null);
            int eth = w.addInterface("ens33", 1, 65535, "ifIndex: 2, netNsInode: 4026531840, netNsPath: /proc/self/ns/net", "");
            int lo = w.addInterface("lo", 1, 65535, "ifIndex: 1, netNsInode: 4026531840, netNsPath: /proc/self/ns/net", "");
            // curl's TCP connection: SYN out (with the Thread block), SYN-ACK in, request out, response in (cut at 96 bytes)
            write(w, eth, Frames.tcp4(LOCAL, 53258, WEB, 80, 0x02, 0), 262144, Direction.OUT, CURL_THREAD, "curl", "curl-tcp");
            write(w, eth, Frames.tcp4(WEB, 80, LOCAL, 53258, 0x12, 0), 262144, Direction.IN, CURL, "curl", "curl-tcp");
            write(w, eth, Frames.tcp4(LOCAL, 53258, WEB, 80, 0x18, 700), 262144, Direction.OUT, CURL, "curl", "curl-tcp");
            write(w, eth, Frames.tcp4(WEB, 80, LOCAL, 53258, 0x18, 1400), 96, Direction.IN, CURL, "curl", "curl-tcp");
            // curl's DNS over IPv6 UDP, and the resolver's side of a query on loopback
            write(w, eth, Frames.udp6(V6A, 40000, V6B, 53, 30), 262144, Direction.OUT, CURL, "curl", "curl-udp6");
            write(w, eth, Frames.udp6(V6B, 53, V6A, 40000, 90), 262144, Direction.IN, CURL, "curl", "curl-udp6");
            write(w, lo, Frames.udp4(LO, 51000, STUB, 53, 40), 262144, Direction.IN, RESOLVED, "resolved", "resolved-udp");
            write(w, lo, Frames.udp4(STUB, 53, LO, 51000, 120), 262144, Direction.OUT, RESOLVED, "resolved", "resolved-udp");
            // a packet ptcpdump could not attribute: no comment at all
            write(w, eth, Frames.tcp4(WEB, 443, LOCAL, 60000, 0x04, 0), 262144, Direction.IN, List.of(), "nobody");
            // the last packet of curl's connection, 2.5 s later
            ts += 2_500_000_000L;
            write(w, eth, Frames.tcp4(LOCAL, 53258, WEB, 80, 0x11, 0), 262144, Direction.OUT, CURL, "curl", "curl-tcp");
        }
        return f;
    }

    @Test
    void oneIntervalShowsTheProcessesConnectionsAndExactWireTotals(@TempDir Path dir) throws Exception {
        Path f = ptcpdumpFile(dir);
        try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
            assertEquals(f + " (10 pkts, 2.51s)", feed.label());
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            assertNull(r.error());
            assertEquals(1, r.snapshots().size(), "one interval over the whole file");
            Snapshot s = r.last();
            assertEquals(2.509, s.intervalSeconds(), 1e-9);

            ProcessRow curl = process(s, 122868);
            assertEquals("curl", curl.comm());
            assertEquals("curl kernel.com", curl.cmdline());
            assertEquals(53229, curl.ppid());
            assertEquals(1000, curl.uid());
            assertEquals("1000", curl.user());
            assertEquals(CID, curl.containerId());
            assertEquals(1, curl.threads());
            assertWire(written.get("curl"), curl.wireIn(), curl.wireOut());
            assertNull(curl.get("evt.buflen.net"), "a packet file has no NET counts: null, not zero");
            assertNull(curl.get("evt.buflen.file"), "nor FILE counts");
            assertEquals(Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.PACKETS), feed.availableSources());

            ProcessRow resolved = process(s, 700);
            assertEquals("systemd-resolved", resolved.comm());
            assertEquals("host", resolved.containerId());
            assertEquals(1, resolved.ppid());
            assertWire(written.get("resolved"), resolved.wireIn(), resolved.wireOut());

            ProcessRow nobody = process(s, 0);
            assertEquals("[unattributed]", nobody.comm());
            assertWire(written.get("nobody"), nobody.wireIn(), nobody.wireOut());
            assertEquals(3, rows(s, Snapshot.PROCESSES, ProcessRow.class).size());

            List<ConnectionRow> conns = rows(s, Snapshot.CONNECTIONS, ConnectionRow.class);
            assertEquals(4, conns.size(), conns.toString());
            ConnectionRow tcp = conn(conns, 122868, "tcp");
            assertEquals(List.of("10.0.2.15", 53258, "198.185.159.144", 80, false),
                    List.of(tcp.lip(), tcp.lport(), tcp.rip(), tcp.rport(), tcp.server()));
            assertWire(written.get("curl-tcp"), tcp.wireIn(), tcp.wireOut());
            assertNull(tcp.get("evt.buflen.net"));
            assertNull(tcp.get("evt.count"));
            ConnectionRow udp6 = conn(conns, 122868, "udp");
            assertEquals(List.of("fd00::1", 40000, "fd00::2", 53), List.of(udp6.lip(), udp6.lport(), udp6.rip(), udp6.rport()));
            assertWire(written.get("curl-udp6"), udp6.wireIn(), udp6.wireOut());
            ConnectionRow dns = conn(conns, 700, "udp");
            assertEquals(List.of("127.0.0.53", 53, "127.0.0.1", 51000), List.of(dns.lip(), dns.lport(), dns.rip(), dns.rport()));
            assertWire(written.get("resolved-udp"), dns.wireIn(), dns.wireOut());
            ConnectionRow rst = conn(conns, 0, "tcp");
            assertEquals(List.of("10.0.2.15", 60000), List.of(rst.lip(), rst.lport()));
        }
    }

    @Test
    void theServerEndIsTheOneThatReceivedTheSyn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("server.pcapng");
        try (OutputStream os = Files.newOutputStream(f); PcapNgWriter w = new PcapNgWriter(os, "ptcpdump v0.30.0")) {
            int lo = w.addInterface("lo", 1, 65535, null, null);
            List<String> nginx = List.of("PID: 9\nCmd: /usr/sbin/nginx\nArgs: nginx: worker process");
            write(w, lo, Frames.tcp4(LO, 41000, LO, 8080, 0x02, 0), 262144, Direction.IN, nginx, "n");
            write(w, lo, Frames.tcp4(LO, 8080, LO, 41000, 0x12, 0), 262144, Direction.OUT, nginx, "n");
        }
        try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
            ConnectionRow c = rows(FeedRun.run(feed, Demand.NONE).last(), Snapshot.CONNECTIONS, ConnectionRow.class).get(0);
            assertEquals(List.of(8080, 41000, true), List.of(c.lport(), c.rport(), c.server()));
            assertEquals("nginx: worker process", c.cmdline());
        }
    }

    @Test
    void intervalsFollowTraceTimeAndAStretchWithoutPacketsIsOneInterval(@TempDir Path dir) throws Exception {
        Path f = ptcpdumpFile(dir); // 9 packets 1 ms apart, then one 2.5 s later
        try (PcapNgFeed feed = PcapNgFeed.open(f, 1_000_000_000L)) {
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            assertNull(r.error());
            assertEquals(3, r.snapshots().size(), "[0,1s) with 9 packets, [1s,2s) empty, [2s,3s) with the last");
            long[] curl = written.get("curl");
            long lastOut = Frames.tcp4(LOCAL, 53258, WEB, 80, 0x11, 0).length - Frames.ETH;
            ProcessRow first = process(r.snapshots().get(0), 122868);
            assertWire(new long[]{curl[0], curl[1] - lastOut}, first.wireIn(), first.wireOut());
            assertEquals(List.of(0L, 0L), List.of(process(r.snapshots().get(1), 122868).wireIn(),
                    process(r.snapshots().get(1), 122868).wireOut()));
            ProcessRow last = process(r.snapshots().get(2), 122868);
            assertWire(new long[]{0, lastOut}, last.wireIn(), last.wireOut());
            assertEquals(List.of(1.0, 1.0, 1.0), r.snapshots().stream().map(Snapshot::intervalSeconds).toList());
            for (Snapshot s : r.snapshots()) {
                assertNull(process(s, 122868).get("thread.cpu"), "a packet file has no CPU time: blank, not 0%");
            }
        }
    }

    @Test
    void packetsAreListedAsTheyComeOnlyWhenSelectedUntilTheLastInterval(@TempDir Path dir) throws Exception {
        Path f = ptcpdumpFile(dir);
        try (PcapNgFeed feed = PcapNgFeed.open(f, 1_000_000_000L)) {
            List<Snapshot> snaps = FeedRun.run(feed, Demand.NONE).snapshots();
            assertEquals(List.of(0, 0, 10), snaps.stream().map(s -> s.sources().get(Snapshot.PACKETS).size()).toList());
        }
    }

    @Test
    void thePacketsViewListsWhatADrillDownSelects(@TempDir Path dir) throws Exception {
        Path f = ptcpdumpFile(dir);
        try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
            Snapshot s = FeedRun.run(feed, new Demand(Set.of(Snapshot.PACKETS),
                    new PacketSelection(false, Set.of(700L), Set.of()))).last();
            List<PacketRow> pkts = rows(s, Snapshot.PACKETS, PacketRow.class);
            assertEquals(List.of(7L, 8L), pkts.stream().map(PacketRow::seq).toList(), "the resolver's two packets");
            assertEquals(conn(rows(s, Snapshot.CONNECTIONS, ConnectionRow.class), 700, "udp").cookie(), pkts.get(0).cookie());
            assertEquals(List.of("In", "127.0.0.1.51000", "127.0.0.53.53", "systemd-resolved"),
                    List.of(pkts.get(0).dir(), pkts.get(0).src(), pkts.get(0).dst(), pkts.get(0).comm()));
            assertEquals(List.of(20L + 8 + 120, "0 [0q] (120)"), List.of(pkts.get(1).length(), pkts.get(1).summary()));
        }
        try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
            Snapshot s = FeedRun.run(feed, Demand.NONE).last();
            long cookie = conn(rows(s, Snapshot.CONNECTIONS, ConnectionRow.class), 122868, "tcp").cookie();
            assertEquals(10, rows(s, Snapshot.PACKETS, PacketRow.class).size(),
                    "nothing selected: the last interval lists every packet, for a drill-down after the end");
            try (PcapNgFeed again = PcapNgFeed.open(f, 0)) {
                Snapshot byConn = FeedRun.run(again, new Demand(Set.of(),
                        new PacketSelection(false, Set.of(), Set.of(cookie)))).last();
                assertEquals(List.of(1L, 2L, 3L, 4L, 10L),
                        rows(byConn, Snapshot.PACKETS, PacketRow.class).stream().map(PacketRow::seq).toList());
                PacketRow request = rows(byConn, Snapshot.PACKETS, PacketRow.class).get(2);
                assertEquals(List.of(20L + 20 + 700, PacketHistory.SNAP), List.of(request.length(),
                        request.packet().data().length), "a listed packet keeps what the live view would");
                PacketRow response = rows(byConn, Snapshot.PACKETS, PacketRow.class).get(3);
                assertEquals(List.of(20L + 20 + 1400, 96), List.of(response.length(), response.packet().data().length),
                        "the original length, and the bytes the file holds");
            }
        }
    }

    private static void assertWire(long[] expected, long in, long out) {
        assertEquals(List.of(expected[0], expected[1]), List.of(in, out), "WIRE in, out");
    }

    static ProcessRow process(Snapshot s, long pid) {
        return rows(s, Snapshot.PROCESSES, ProcessRow.class).stream().filter(p -> p.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + pid + " in " + s.sources().get(Snapshot.PROCESSES)));
    }

    static ConnectionRow conn(List<ConnectionRow> conns, long pid, String proto) {
        List<ConnectionRow> m = new ArrayList<>(conns.stream().filter(c -> c.pid() == pid && c.proto().equals(proto)).toList());
        assertEquals(1, m.size(), pid + "/" + proto + " in " + conns);
        return m.get(0);
    }

    static <T> List<T> rows(Snapshot s, String source, Class<T> type) {
        return s.sources().get(source).stream().map(type::cast).toList();
    }
}
