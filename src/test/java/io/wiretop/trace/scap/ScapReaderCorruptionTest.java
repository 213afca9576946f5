// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static io.wiretop.trace.scap.ScapBuilder.concat;
import static io.wiretop.trace.scap.ScapBuilder.i64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.CaptureFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage: one error naming the offset and what is wrong, after the events before it. */
class ScapReaderCorruptionTest {

    /** Events read before the error, and the error (null when the file read to its end). */
    record Outcome(int events, CaptureFileException error) {
    }

    static Outcome read(byte[] file) throws IOException {
        int n = 0;
        try (ScapReader r = new ScapReader(new ByteArrayInputStream(file))) {
            while (r.next() != null) {
                n++;
            }
            return new Outcome(n, null);
        } catch (CaptureFileException e) {
            return new Outcome(n, e);
        }
    }

    static CaptureFileException fails(byte[] file, int eventsBefore, long offset, String fragment) throws IOException {
        Outcome o = read(file);
        assertTrue(o.error() != null, "no error; " + o.events() + " events");
        assertEquals(eventsBefore, o.events(), o.error().getMessage());
        assertEquals(offset, o.error().offset(), o.error().getMessage());
        assertTrue(o.error().getMessage().contains(fragment), o.error().getMessage());
        return o.error();
    }

    static byte[] twoEvents() {
        return new ScapBuilder().shb(1, 2).event(4, 1, 1, i64(3)).event(4, 2, 1, i64(4)).bytes();
    }

    @Test
    void emptyFile() throws IOException {
        fails(new byte[0], 0, 0, "empty file");
    }

    @Test
    void directory(@TempDir Path dir) {
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> ScapReader.open(dir));
        assertEquals("offset 0: a directory, not a .scap capture", e.getMessage());
    }

    @Test
    void emptyFileOnDisk(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("e.scap"), new byte[0]);
        assertThrows(CaptureFileException.class, () -> ScapReader.open(f));
    }

    @Test
    void notAScapFile() throws IOException {
        fails("hello, world, not a capture".getBytes(), 0, 0, "not a .scap capture");
    }

    @Test
    void bigEndianSectionHeader() throws IOException {
        byte[] f = twoEvents();
        for (int i = 0; i < 4; i++) {
            f[8 + i] = (byte) (BlockType.SHB_MAGIC >>> (24 - 8 * i)); // the magic written big-endian
        }
        fails(f, 0, 0, "big-endian");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] f = twoEvents();
        f[8] ^= 1;
        fails(f, 0, 0, "byte-order magic");
    }

    @Test
    void unknownMajorVersion() throws IOException {
        fails(new ScapBuilder().shb(2, 0).event(4, 1, 1, i64(3)).bytes(), 0, 0, "version 2.0");
    }

    @Test
    void sectionWithoutEvents() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).block(BlockType.PL_V9, ScapBuilder.thread(9, 1, "x")).bytes();
        fails(f, 0, f.length, "no event in the section starting at offset 0");
    }

    @Test
    void eventBlockTrailerDiffersFromItsHeader() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).event(4, 1, 1, i64(3))
                .block(BlockType.EV_V2, concat(new byte[2], ScapBuilder.event(4, 2, 1, 2, i64(4))), 99L)
                .event(4, 3, 1, i64(5)).bytes();
        fails(f, 1, 28 + 52, "52 in its header but 99 in its trailer");
    }

    @Test
    void metadataBlockTrailerDiffersFromItsHeader() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).block(0x1234, new byte[8], 7L).event(4, 1, 1, i64(3)).bytes();
        fails(f, 0, 28, "in its trailer");
    }

    @Test
    void cutInsideAnEventBlock() throws IOException {
        byte[] f = twoEvents();
        fails(Arrays.copyOf(f, f.length - 10), 1, 80, "cut short");
        fails(Arrays.copyOf(f, f.length - 50), 1, 80, "block header cut short");
    }

    @Test
    void cutInsideABlockLargerThanTheBuffer() throws IOException {
        byte[] big = ScapBuilder.concat(new byte[2], ScapBuilder.event(324, 2, 1, 4, ScapBuilder.cstr("y".repeat(600_000))));
        byte[] f = new ScapBuilder().shb(1, 2).event(4, 1, 1, i64(3)).block(BlockType.EV_V2_LARGE, big).bytes();
        fails(Arrays.copyOf(f, 500_000), 1, 80, "cut short: 600048 bytes needed, the data ends after 499920");
    }

    /** A forged length over the in-memory limit fails at once, before any data is read (a gzip bomb behind it costs nothing). */
    @Test
    void blockLongerThanTheMemoryLimit() throws IOException {
        byte[] m = new ScapBuilder().shb(1, 2).block(BlockType.PL_V9, new byte[4]).event(4, 1, 1, i64(3)).bytes();
        m[28 + 7] = 0x10; // 0x10000010: 256 MiB
        fails(m, 0, 28, "exceeds the 128 MiB this reader holds in memory");
    }

    @Test
    void blockLengthBelowItsFrame() throws IOException {
        byte[] f = twoEvents();
        f[80 + 4] = 8;
        fails(f, 1, 80, "event block length 8 is too short for an event header");
        byte[] m = new ScapBuilder().shb(1, 2).block(0x1234, new byte[0]).event(4, 1, 1, i64(3)).bytes();
        m[28 + 4] = 8;
        fails(m, 0, 28, "length 8 is below the minimum 12");
    }

    @Test
    void eventBlockTooShortForItsHeader() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).block(BlockType.EV_V2, new byte[20]).bytes();
        fails(f, 0, 28, "too short for an event header");
    }

    @Test
    void nonLargeEventBlockOverSysdigsLimit() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2)
                .block(BlockType.EV_V2, concat(new byte[2], ScapBuilder.event(9, 1, 1, 2, i64(1), new byte[65530]))).bytes();
        fails(f, 0, 28, "non-large event block");
    }

    @Test
    void eventLengthPastItsBlock() throws IOException {
        byte[] f = twoEvents();
        f[80 + 8 + 2 + 16] = (byte) 200; // event len
        fails(f, 1, 80, "event length 200 does not fit");
    }

    @Test
    void parameterLengthsPastTheEvent() throws IOException {
        byte[] f = twoEvents();
        f[80 + 8 + 2 + 26] = 9; // first param length 9 of an 8-byte value
        fails(f, 1, 80, "parameter 0 runs past");
    }

    @Test
    void parameterCountPastTheEvent() throws IOException {
        byte[] f = twoEvents();
        f[80 + 8 + 2 + 22] = 50;
        fails(f, 1, 80, "50 parameters do not fit");
    }

    @Test
    void v1EventWhoseLengthsMatchNoParameterCount() throws IOException {
        byte[] ev = ScapReaderFormatTest.v1Event(4, 1, 1, i64(3), new byte[3]); // close enter: 1 param in the table
        fails(new ScapBuilder().shb(1, 0).block(BlockType.EV, concat(new byte[2], ev)).bytes(), 0, 28,
                "cannot convert v1 event");
    }

    @Test
    void metadataBlockAfterEvents() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).event(4, 1, 1, i64(3)).block(BlockType.MI, new byte[180]).bytes();
        fails(f, 1, 80, "after events");
    }

    @Test
    void fdListOfAThreadNotInTheProcessList() throws IOException {
        byte[] f = new ScapBuilder().shb(1, 2).block(BlockType.FDL_V2, i64(5)).event(4, 1, 1, i64(3)).bytes();
        fails(f, 0, 28, "thread 5 is not in an earlier process list");
    }

    @Test
    void machineInfoOfTheWrongSize() throws IOException {
        fails(new ScapBuilder().shb(1, 2).block(BlockType.MI, new byte[100]).event(4, 1, 1, i64(3)).bytes(), 0, 28,
                "100 bytes, 180 expected");
    }

    @Test
    void processListStringOverLibscapsLimit() throws IOException {
        byte[] t = ScapBuilder.thread(5, 1, "x".repeat(1025));
        fails(new ScapBuilder().shb(1, 0).block(BlockType.PL_V5, t).event(4, 1, 1, i64(3)).bytes(), 0, 28,
                "comm length 1025 exceeds 1024");
    }

    @Test
    void processListV9EntryShorterThanItsFields() throws IOException {
        byte[] t = ScapBuilder.thread(9, 1, "x");
        t[0] = 20;
        fails(new ScapBuilder().shb(1, 2).block(BlockType.PL_V9, t).event(4, 1, 1, i64(3)).bytes(), 0, 28,
                "has length 20");
    }

    /** A gzip file cut in the middle: the events before the cut, then an error in gunzipped offsets. */
    @Test
    void gzipCutShort() throws IOException {
        byte[] gz = ScapFixtures.gzipped("curl_google");
        Outcome o = read(Arrays.copyOf(gz, gz.length / 2));
        assertTrue(o.events() > 100 && o.events() < 1536, o.events() + " events");
        assertTrue(o.error().getMessage().contains("of the gunzipped data"), o.error().getMessage());
        assertTrue(o.error().getMessage().contains("cut short"), o.error().getMessage());
    }

    @Test
    void gzipDataDamaged() throws IOException {
        byte[] gz = ScapFixtures.gzipped("curl_google");
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        Outcome o = read(gz);
        assertTrue(o.error() != null && o.events() < 1536, o.events() + " events");
        assertTrue(o.error().getMessage().contains("of the gunzipped data"), o.error().getMessage());
    }

    @Test
    void gzipCrcMismatch() throws IOException {
        byte[] gz = ScapFixtures.gzipped("test_ipv6_client");
        gz[gz.length - 6] ^= 1; // CRC32 in the trailer
        Outcome o = read(gz);
        assertEquals(326, o.events());
        assertTrue(o.error().getMessage().contains("gzip data is damaged"), o.error().getMessage());
    }

    @Test
    void gzipHeaderOnly() throws IOException {
        fails(new byte[] {0x1f, (byte) 0x8b, 8}, 0, 0, "gzip header cut short");
    }

    @Test
    void errorsOfAPlainFileSayNothingOfGzip() throws IOException {
        byte[] f = twoEvents();
        CaptureFileException e = fails(Arrays.copyOf(f, 90), 1, 80, "cut short");
        assertTrue(e.getMessage().startsWith("offset 80: "), e.getMessage());
    }
}
