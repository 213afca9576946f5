// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.trace.FeedRun;
import io.wiretop.trace.TraceFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutated, cut and random packet files replayed through the feed and the aggregator (what
 * {@code wiretop -r} does) end in rows or in one {@link CaptureFileException}, never another
 * exception, never over a second each; and every packet read before the end or the damage is
 * counted once in WIRE, whatever the interval, the gaps in trace time or the idle cleanups.
 */
class PcapNgFeedPropertyTest {
    private static final Path DIR;
    private static final List<byte[]> BASES;

    static {
        try {
            DIR = Files.createTempDirectory("wiretop-pcapfeed-prop");
            // tcpdump's, editcap's and wiretop's captures (CaptureCorpus), two sections, ptcpdump's layout
            List<byte[]> bases = new java.util.ArrayList<>(CaptureCorpus.bases().stream().map(CaptureCorpus.Base::bytes).toList());
            bases.add(PcapNgBadFilesTest.sound());
            bases.add(contexts());
            BASES = List.copyOf(bases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var s = Files.list(DIR)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(DIR);
    }

    /** Packets of several processes in ptcpdump's comment layout, seconds apart, in and out, v4 and v6. */
    private static byte[] contexts() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter w = new PcapNgWriter(out, "ptcpdump v0.30.0")) {
            w.addInterface("dummy-0", 1, 65535, null, null);
            int eth = w.addInterface("eth0", 1, 65535, "ifIndex: 2, netNsInode: 4026531840, netNsPath: /proc/self/ns/net", "");
            byte[] v6a = new byte[16], v6b = new byte[16];
            v6a[15] = 1;
            v6b[15] = 2;
            for (int i = 0; i < 24; i++) {
                long pid = 100 + i % 3;
                List<String> c = List.of("PID: " + pid + "\nCmd: /bin/p" + pid + "\nArgs: p" + pid + " --x",
                        "ThreadId: " + (pid + i) + "\nThreadName: t", "UserId: " + i,
                        "ParentPID: 1\nParentCmd: /sbin/init\nParentArgs: init",
                        "ContainerName: c\nContainerId: " + "ab".repeat(32) + "\nContainerImage: i\nContainerLabels: {}");
                byte[] f = switch (i % 4) {
                    case 0 -> Frames.tcp4(Frames.ip(10, 0, 0, 1), 4000 + i % 5, Frames.ip(10, 0, 0, 2), 80, 0x02, 0);
                    case 1 -> Frames.tcp4(Frames.ip(10, 0, 0, 2), 80, Frames.ip(10, 0, 0, 1), 4000 + i % 5, 0x12, i * 10);
                    case 2 -> Frames.udp6(v6a, 5353, v6b, 53, i);
                    default -> Frames.udp4(Frames.ip(127, 0, 0, 1), 9000, Frames.ip(127, 0, 0, 1), 9001, 3 * i);
                };
                Direction d = Direction.values()[i % 3];
                w.write(eth, 1_700_000_000_000_000_000L + i * 700_000_000L, f, 0, f.length, f.length, d,
                        i % 5 == 4 ? List.of() : c);
            }
        }
        return out.toByteArray();
    }

    /** How a replay ended: the WIRE bytes it showed over all intervals, and its error, if any. */
    record Outcome(long wire, CaptureFileException error) {
    }

    private static int files;

    /** Replays the bytes as a file, within a second; any exception but a CaptureFileException fails. */
    static Outcome replay(byte[] bytes, long intervalNanos, Demand demand) throws IOException {
        Path f = Files.write(DIR.resolve("f" + (files++ % 4) + ".pcapng"), bytes);
        return assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            PcapNgFeed feed;
            try {
                feed = PcapNgFeed.open(f, intervalNanos);
            } catch (CaptureFileException e) {
                checkMessage(f, e, bytes.length);
                return new Outcome(-1, e);
            }
            try (feed) {
                FeedRun.Result r = FeedRun.run(feed, demand);
                long wire = 0;
                for (Snapshot s : r.snapshots()) {
                    for (var row : s.sources().get(Snapshot.PROCESSES)) {
                        ProcessRow p = (ProcessRow) row;
                        wire += p.wireIn() + p.wireOut();
                    }
                    s.sources().get(Snapshot.PACKETS).forEach(p -> p.get("pkt.info")); // listed rows format
                }
                if (r.error() != null) {
                    checkMessage(f, r.error(), bytes.length);
                }
                return new Outcome(wire, r.error());
            }
        });
    }

    private static void checkMessage(Path f, CaptureFileException e, int length) {
        assertTrue(e.offset() >= 0 && e.offset() <= length, e.getMessage());
        String line = TraceFiles.problem(f, e);
        assertTrue(!e.reason().isBlank() && !line.contains("\n") && !line.contains("null"), line);
    }

    /** WIRE of the packets the reader gives before the end or the damage: what the replay must show. */
    static long wireOfReadablePackets(byte[] bytes) throws IOException {
        long sum = 0;
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(bytes))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                sum += PacketFold.wireLength(p, p.decode()); // checked against ptcpdump's figures by the golden test
            }
        } catch (CaptureFileException e) {
            // the packets before it are the ones counted
        }
        return sum;
    }

    @Provide
    Arbitrary<Long> intervals() {
        return Arbitraries.of(0L, 1L, 1_000_000L, 700_000_000L, 1_000_000_000L, 61_000_000_000L, Long.MAX_VALUE / 2);
    }

    @Provide
    Arbitrary<Demand> demands() {
        return Arbitraries.of(Demand.NONE, new Demand(Set.of(Snapshot.PACKETS), PacketSelection.ALL),
                new Demand(Set.of(Snapshot.PACKETS), new PacketSelection(false, Set.of(100L, 0L), Set.of(1L, 2L))));
    }

    private static void countsEveryReadablePacketOnce(byte[] file, Outcome o) throws IOException {
        if (o.error() == null || o.wire() >= 0) {
            assertEquals(wireOfReadablePackets(file), Math.max(0, o.wire()), "WIRE of every packet read, once");
        }
        Statistics.label("outcome").collect(o.error() == null ? "rows" : o.wire() < 0 ? "refused" : "rows, then error");
    }

    @Property(tries = 250, seed = "10")
    void bitFlippedFilesEndInRowsOrOneError(@ForAll @IntRange(max = 6) int base,
                                            @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 1 << 20) Integer> flips,
                                            @ForAll("intervals") long interval, @ForAll("demands") Demand demand)
            throws IOException {
        byte[] m = BASES.get(base).clone();
        for (int f : flips) {
            m[(f >> 3) % m.length] ^= (byte) (1 << (f & 7));
        }
        countsEveryReadablePacketOnce(m, replay(m, interval, demand));
    }

    @Property(tries = 250, seed = "10")
    void cutFilesEndInRowsOrOneError(@ForAll @IntRange(max = 6) int base, @ForAll @IntRange(max = 1 << 16) int cut,
                                     @ForAll("intervals") long interval, @ForAll("demands") Demand demand)
            throws IOException {
        byte[] b = BASES.get(base);
        byte[] m = Arrays.copyOf(b, cut % (b.length + 1));
        countsEveryReadablePacketOnce(m, replay(m, interval, demand));
    }

    @Property(tries = 200, seed = "10")
    void randomBytesAfterAHeaderEndInRowsOrOneError(@ForAll @IntRange(max = 6) int base,
                                                    @ForAll @IntRange(max = 200) int keep,
                                                    @ForAll @Size(max = 2000) byte[] tail,
                                                    @ForAll("intervals") long interval) throws IOException {
        byte[] b = BASES.get(base);
        int head = Math.min(b.length, keep < 100 ? 24 : keep * 4);
        byte[] m = Arrays.copyOf(b, head + tail.length);
        System.arraycopy(tail, 0, m, head, tail.length);
        countsEveryReadablePacketOnce(m, replay(m, interval, Demand.NONE));
    }

    /** Boundary values written over 1, 2, 4 or 8 bytes anywhere: the lengths, counts and ids the reader trusts. */
    @Property(tries = 300, seed = "10")
    void boundaryValuesInAnyFieldEndInRowsOrOneError(@ForAll @IntRange(max = 6) int base,
                                                     @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                                     @ForAll @IntRange(max = 3) int width,
                                                     @ForAll @IntRange(max = 9) int which,
                                                     @ForAll("intervals") long interval) throws IOException {
        byte[] m = BASES.get(base).clone();
        long[] values = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL, 0x80000000L};
        int n = 1 << width;
        for (int a : at) {
            int p = a % (m.length - n + 1);
            for (int i = 0; i < n; i++) {
                m[p + i] = (byte) (values[which] >> (8 * i));
            }
        }
        countsEveryReadablePacketOnce(m, replay(m, interval, new Demand(Set.of(), PacketSelection.ALL)));
    }

    /** Comments in any shape (forged keys, huge or negative numbers, control bytes) are only text. */
    @Property(tries = 200, seed = "10")
    void anyCommentsReplay(@ForAll @Size(max = 6) List<@Size(max = 80) String> comments,
                           @ForAll long pid, @ForAll @IntRange(min = 0, max = 2) int dir,
                           @ForAll("intervals") long interval) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter w = new PcapNgWriter(out, "test")) {
            int lo = w.addInterface("lo", 1, 65535, null, null);
            for (int i = 0; i < 4; i++) {
                List<String> c = new java.util.ArrayList<>(comments);
                c.add("PID: " + (pid + i % 2) + "\nCmd: " + new String(new byte[]{(byte) i, 27, '/'}, StandardCharsets.ISO_8859_1));
                byte[] f = Frames.tcp4(Frames.ip(1, 2, 3, 4), 1000 + i, Frames.ip(5, 6, 7, 8), 22, 0x10, i);
                w.write(lo, pid + i * 1_000_000_000L, f, 0, f.length, f.length, Direction.values()[dir], c);
            }
        }
        byte[] file = out.toByteArray();
        Outcome o = replay(file, interval, new Demand(Set.of(), PacketSelection.ALL));
        assertEquals(null, o.error());
        countsEveryReadablePacketOnce(file, o);
    }
}
