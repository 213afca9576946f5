// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.CaptureFileException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
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
 * Random, mutated and cut .scap files end in events and at most one {@link CaptureFileException}
 * (never another exception, never over a second); a cut or a length field that no longer matches
 * is an error at the damaged block's offset, after exactly the events before it.
 */
class ScapReaderPropertyTest {
    /** A plain fixture and its block offsets (plus the end). */
    record Base(byte[] bytes, List<Integer> blocks) {
        int end(int i) {
            return i + 1 < blocks.size() ? blocks.get(i + 1) : bytes.length;
        }

        boolean event(int i) {
            return BlockType.isEvent(Le.i32(bytes, blocks.get(i)));
        }
    }

    /** The four fixtures gunzipped, then {@link ScapBuilder#mixed()}. */
    private static final List<Base> BASES = java.util.stream.Stream.concat(
            ScapFixtures.NAMES.stream().map(ScapFixtures::plain), java.util.stream.Stream.of(ScapBuilder.mixed()))
            .map(b -> new Base(b, ScapFixtures.blockOffsets(b))).toList();
    private static final byte[] GZIP = ScapFixtures.gzipped("test_ipv6_client");

    /** How a read ended. */
    record Outcome(int events, CaptureFileException error) {
    }

    /** Reads a whole file within a second, touching every parameter; any exception but a CaptureFileException fails. */
    static Outcome read(byte[] file) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            int n = 0;
            try (ScapReader r = new ScapReader(new ByteArrayInputStream(file))) {
                for (ScapEvent e; (e = r.next()) != null; n++) {
                    for (int i = 0; i < e.paramCount() + 1; i++) { // what a consumer may ask, garbage or not
                        e.asLong(i, 0);
                        e.asString(i);
                        e.asStrings(i);
                        e.asTuple(i);
                        e.asAddress(i);
                        if (e.asTuple(i) != null && e.asTuple(i).family() != ScapSocket.AF_UNIX) {
                            assertNotNull(e.asTuple(i).text());
                        }
                    }
                    assertNotNull(e.copy().toString());
                }
                return new Outcome(n, null);
            } catch (CaptureFileException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= Math.max(file.length, 1L << 20), e.getMessage());
                assertTrue(!e.reason().isBlank() && !e.getMessage().contains("null"), e.getMessage());
                return new Outcome(n, e);
            }
        });
    }

    @Provide
    Arbitrary<byte[]> headers() {
        Base b = BASES.get(1);
        byte[] shb = Arrays.copyOf(b.bytes(), b.blocks().get(1));
        int firstEvent = 0;
        while (!b.event(firstEvent)) {
            firstEvent++;
        }
        byte[] metadata = Arrays.copyOf(b.bytes(), b.blocks().get(firstEvent));
        return Arbitraries.of(new byte[0], shb, metadata);
    }

    @Property(tries = 300, seed = "9")
    void randomBytesAfterAnyHeaderEndInEventsOrOneError(@ForAll("headers") byte[] header,
                                                        @ForAll @Size(max = 3000) byte[] tail) {
        byte[] file = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, file, header.length, tail.length);
        read(file);
    }

    @Property(tries = 300, seed = "9")
    void bitFlippedFilesEndInEventsOrOneError(@ForAll @IntRange(max = 4) int base,
                                              @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 1 << 21) Integer> flips) {
        byte[] m = BASES.get(base).bytes().clone();
        for (int f : flips) {
            m[(f >> 3) % m.length] ^= (byte) (1 << (f & 7));
        }
        read(m);
    }

    @Property(tries = 200, seed = "9")
    void mutatedGzipFilesEndInEventsOrOneError(@ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1 << 17) Integer> flips,
                                               @ForAll @IntRange(max = 1 << 15) int cut) {
        byte[] m = GZIP.clone();
        for (int f : flips) {
            m[(f >> 3) % m.length] ^= (byte) (1 << (f & 7));
        }
        Outcome o = read(Arrays.copyOf(m, Math.min(m.length, cut)));
        Statistics.label("outcome").collect(o.error() == null ? "whole" : "error");
    }

    /**
     * Cuts a file inside one of its blocks (or at its start), at a chosen place: 0 = boundary,
     * 1 = one byte in, 2 = inside the header, 3 = right after it, 4 = inside the body, 5 = one byte short.
     */
    @Property(tries = 400, seed = "9")
    void aCutIsAnErrorAtTheCutBlockAfterEveryEventBeforeIt(@ForAll @IntRange(max = 4) int base,
                                                           @ForAll @IntRange(max = 4000) int block,
                                                           @ForAll @IntRange(max = 5) int where,
                                                           @ForAll @IntRange(max = 1 << 16) int random) {
        Base b = BASES.get(base);
        int k = block % b.blocks().size();
        int start = b.blocks().get(k);
        int len = b.end(k) - start;
        int cut = start + switch (where) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 1 + random % 7;
            case 3 -> 8;
            case 4 -> 8 + random % Math.max(1, len - 8);
            default -> len - 1;
        };
        Statistics.label("cut").collect(where == 0 ? "between blocks" : "inside a block");
        Outcome o = read(Arrays.copyOf(b.bytes(), cut));
        int events = 0;
        for (int i = 0; i < k; i++) {
            events += b.event(i) ? 1 : 0;
        }
        assertEquals(events, o.events(), "every event before the cut is read");
        if (where == 0 && events > 0) {
            assertNull(o.error(), "a cut between event blocks is a shorter, sound file");
        } else if (where == 0) {
            assertEquals(cut, o.error().offset(), o.error().getMessage()); // empty file or no event
        } else {
            assertNotNull(o.error(), "cut at " + cut);
            assertEquals(start, o.error().offset(), o.error().getMessage());
        }
    }

    @Property(tries = 300, seed = "9")
    void aBlockLengthDifferentFromItsTrailerIsAnErrorAtThatBlock(@ForAll @IntRange(max = 4) int base,
                                                                 @ForAll @IntRange(max = 4000) int block,
                                                                 @ForAll boolean leading, @ForAll int value) {
        Base b = BASES.get(base);
        int k = block % b.blocks().size();
        int start = b.blocks().get(k);
        int len = b.end(k) - start;
        Assume.that(value != len);
        byte[] m = b.bytes().clone();
        int at = leading ? start + 4 : start + len - 4;
        // a leading length that reframes the block onto bytes holding that very value is no damage to see
        long trailerAt = start + (value & 0xffffffffL) - 4;
        Assume.that(!leading || Integer.compareUnsigned(value, 12) < 0 || trailerAt + 4 > m.length
                || Le.i32(m, (int) trailerAt) != value);
        m[at] = (byte) value;
        m[at + 1] = (byte) (value >> 8);
        m[at + 2] = (byte) (value >> 16);
        m[at + 3] = (byte) (value >> 24);
        Outcome o = read(m);
        assertNotNull(o.error(), "length " + value + " at " + at);
        assertEquals(start, o.error().offset(), o.error().getMessage());
        int events = 0;
        for (int i = 0; i < k; i++) {
            events += b.event(i) ? 1 : 0;
        }
        assertEquals(events, o.events());
    }
}
