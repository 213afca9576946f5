// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.PacketPrinter;
import io.wiretop.trace.CaptureFileException;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random, mutated and cut capture files end in packets and at most one {@link CaptureFileException}
 * (never another exception, never over a second); a cut or a length field that no longer matches
 * is an error at the damaged record's offset, after exactly the packets before it.
 */
class PcapReaderPropertyTest {
    private static final List<CaptureCorpus.Base> BASES = CaptureCorpus.bases();
    private static final PacketPrinter PRINTER = new PacketPrinter(
            new PacketPrinter.Options(true, true, false, false, ZoneId.of("UTC")));

    /** How a read ended. */
    record Outcome(int packets, CaptureFileException error) {
    }

    /** Reads a whole file within a second; any exception but a CaptureFileException fails the property. */
    static Outcome read(byte[] file) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            int n = 0;
            try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
                for (CapturedPacket p; (p = r.next()) != null; n++) {
                    assertNotNull(PRINTER.format(p)); // what capture -r prints: garbage inside must not throw
                }
                return new Outcome(n, null);
            } catch (CaptureFileException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= file.length, e.getMessage());
                assertTrue(!e.reason().isBlank() && !e.getMessage().contains("null"), e.getMessage());
                return new Outcome(n, e);
            }
        });
    }

    @Provide
    Arbitrary<byte[]> headers() {
        byte[] pcap = Arrays.copyOf(BASES.get(0).bytes(), 24);
        byte[] ng = Arrays.copyOf(BASES.get(2).bytes(), BASES.get(2).units().get(1)[0]); // SHB alone
        byte[] ngIdb = Arrays.copyOf(BASES.get(2).bytes(), BASES.get(2).units().get(2)[0]); // SHB + IDB
        return Arbitraries.of(new byte[0], pcap, ng, ngIdb);
    }

    @Property(tries = 300, seed = "8")
    void randomBytesAfterAnyHeaderEndInPacketsOrOneError(@ForAll("headers") byte[] header,
                                                         @ForAll @Size(max = 3000) byte[] tail) {
        byte[] file = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, file, header.length, tail.length);
        read(file);
    }

    @Property(tries = 300, seed = "8")
    void bitFlippedFilesEndInPacketsOrOneError(@ForAll @IntRange(max = 4) int base,
                                               @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 1 << 20) Integer> flips) {
        CaptureCorpus.Base b = BASES.get(base);
        byte[] m = b.bytes().clone();
        for (int f : flips) {
            m[(f >> 3) % m.length] ^= (byte) (1 << (f & 7));
        }
        read(m);
    }

    /**
     * Cuts a file inside one of its records or blocks (or at its start, a record boundary), at an
     * offset of a chosen class: 0 = boundary, 1 = one byte in, 2 = inside the header, 3 = right
     * after the header, 4 = inside the body, 5 = one byte short of the end.
     */
    @Property(tries = 400, seed = "8")
    void aCutIsAnErrorAtTheCutRecordAfterEveryPacketBeforeIt(@ForAll @IntRange(max = 4) int base,
                                                            @ForAll @IntRange(max = 1000) int unit,
                                                            @ForAll @IntRange(max = 5) int where,
                                                            @ForAll @IntRange(max = 1 << 16) int random) {
        CaptureCorpus.Base b = BASES.get(base);
        int[] cutUnit = b.units().get(unit % b.units().size());
        int len = cutUnit[1], hdr = cutUnit[2];
        int cut = cutUnit[0] + switch (where) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 1 + random % (hdr - 1);
            case 3 -> hdr;
            case 4 -> hdr + random % Math.max(1, len - hdr);
            default -> len - 1;
        };
        Statistics.label("cut").collect(where == 0 ? "between records" : "inside a record");
        Outcome o = read(Arrays.copyOf(b.bytes(), cut));
        int packets = 0;
        boolean sawInterface = !b.ng();
        for (int[] u : b.units()) {
            if (u[0] + u[1] <= cut) { // whole before the cut
                boolean packet = b.ng() ? type(b, u) == 6 : u[0] > 0;
                packets += packet ? 1 : 0;
                sawInterface |= b.ng() && type(b, u) == 1;
            } else if (u[0] < cut || (u[0] == cut && u[0] == 0)) { // cut inside it (or an empty file)
                assertNotNull(o.error(), "cut at " + cut + " inside the unit at " + u[0]);
                assertEquals(u[0], o.error().offset(), o.error().getMessage());
                assertEquals(packets, o.packets(), "every packet before the cut is read");
                return;
            }
        }
        if (sawInterface) {
            assertNull(o.error(), "a cut between records is a shorter, sound file");
        } else {
            assertEquals("no interface description block in the file", o.error().reason());
        }
        assertEquals(packets, o.packets());
    }

    @Property(tries = 300, seed = "8")
    void aBlockLengthDifferentFromItsTrailerIsAnErrorAtThatBlock(@ForAll @IntRange(min = 2, max = 4) int base,
                                                                 @ForAll @IntRange(max = 1000) int which,
                                                                 @ForAll boolean leading, @ForAll int value) {
        CaptureCorpus.Base b = BASES.get(base);
        int[] u = b.units().get(which % b.units().size());
        Assume.that(value != u[1]);
        byte[] m = b.bytes().clone();
        ByteBuffer bb = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        int at = leading ? u[0] + 4 : u[0] + u[1] - 4;
        // a shorter leading length whose new "trailer" happens to hold that very value reframes the block: excluded
        long trailerAt = u[0] + (value & 0xffffffffL) - 4;
        Assume.that(!leading || value < 12 || trailerAt + 4 > m.length || bb.getInt((int) trailerAt) != value);
        bb.putInt(at, value);
        Outcome o = read(m);
        assertNotNull(o.error(), "length " + value + " at " + at);
        assertEquals(u[0], o.error().offset(), o.error().getMessage());
        int packets = 0;
        for (int[] v : b.units()) {
            packets += v[0] < u[0] && type(b, v) == 6 ? 1 : 0;
        }
        assertEquals(packets, o.packets());
    }

    private static int type(CaptureCorpus.Base b, int[] u) {
        return ByteBuffer.wrap(b.bytes(), u[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
