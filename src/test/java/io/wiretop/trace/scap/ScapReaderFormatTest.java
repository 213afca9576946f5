// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static io.wiretop.trace.scap.ScapBuilder.concat;
import static io.wiretop.trace.scap.ScapBuilder.cstr;
import static io.wiretop.trace.scap.ScapBuilder.i64;
import static io.wiretop.trace.scap.ScapBuilder.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Block versions and variants the fixtures lack, built field by field from the format reference. */
class ScapReaderFormatTest {
    static List<ScapEvent> events(ScapReader r) throws IOException {
        List<ScapEvent> l = new ArrayList<>();
        for (ScapEvent e; (e = r.next()) != null; ) {
            l.add(e.copy());
        }
        return l;
    }

    static ScapReader reader(byte[] file) throws IOException {
        return new ScapReader(new ByteArrayInputStream(file));
    }

    /** The reference's annotated minimal file (§7.1): SHB + a close enter on tid 42, fd 3. */
    @Test
    void minimalFileOfTheReference() throws IOException {
        byte[] file = java.util.HexFormat.of().parseHex(("0a0d0d0a1c000000 4d3c2b1a01000200 ffffffffffffffff1c000000"
                + "1602000034000000 0000 00002a36fe9c9717 2a00000000000000 240000000400 01000000 0800"
                + "0300000000000000 0000 34000000").replace(" ", ""));
        try (ScapReader r = reader(file)) {
            assertEquals("1.2", r.section().version());
            assertNull(r.section().machine());
            ScapEvent e = r.next();
            assertEquals("close", e.name());
            assertTrue(e.enter());
            assertEquals(1700000000000000000L, e.timestamp());
            assertEquals(42, e.tid());
            assertEquals(3, e.asLong(0, -1));
            assertEquals(28, e.offset());
            assertNull(r.next());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void everyProcessListVersionReads(int v) throws IOException {
        byte[] file = new ScapBuilder().shb(1, 0)
                .block(ScapBuilder.processListType(v), concat(ScapBuilder.thread(v, 7, "a"), ScapBuilder.thread(v, 8, "bb")))
                .event(4, 1, 7, i64(3)).bytes();
        try (ScapReader r = reader(file)) {
            List<ScapThread> t = r.section().threads();
            assertEquals(2, t.size());
            ScapThread a = t.get(0);
            assertEquals(List.of(7L, "a", "/bin/a", List.of("-a", "-b"), "/tmp", 1024L, 1000L),
                    List.of(a.tid(), a.comm(), a.exe(), a.args(), a.cwd(), a.fdLimit(), a.uid()));
            assertEquals("bb", t.get(1).comm());
            assertEquals(v >= 2 ? 11 : 0, a.vmSizeKb());
            assertEquals(v >= 2 ? 15 : 0, a.pageFaultsMinor());
            assertEquals(v >= 3 ? List.of("HOME=/root") : List.of(), a.env());
            assertEquals(v >= 4 ? 8 : -1, a.vtid());
            assertEquals(v >= 4 ? List.of("cpu=/") : List.of(), a.cgroups());
            assertEquals(v >= 5 ? "/" : "", a.root());
            assertEquals(v >= 6 ? 100 : -1, a.sid());
            assertEquals(v >= 7 ? "/usr/bin/a" : "", a.exePath());
            assertEquals(v >= 8 ? 200 : -1, a.vpgid());
            assertEquals(v >= 9 ? 4242 : -1, a.loginUid());
            assertEquals(v >= 9, a.exeWritable());
            assertEquals(1, events(r).size());
        }
    }

    @Test
    void oldBlockCodesRead() throws IOException {
        byte[] file = new ScapBuilder().shb(1, 0)
                .block(BlockType.PL_V3_OLD, ScapBuilder.thread(3, 5, "old"))
                .block(BlockType.EV_OLD, concat(new byte[2], v1Event(4, 9, 5, i64(3)))).bytes();
        try (ScapReader r = reader(file)) {
            assertEquals("old", r.section().threads().get(0).comm());
            ScapEvent e = r.next();
            assertEquals(List.of("close", 1, 3L), List.of(e.name(), e.paramCount(), e.asLong(0, -1)));
        }
    }

    /** v1 events: the parameter count is inferred from the lengths, the table's count first (libscap). */
    @Test
    void v1EventsInferTheirParameterCount() throws IOException {
        // open exit has 5 params in the table; an old capture carries 4 (no dev)
        byte[] four = v1Event(3, 1, 1, i64(3), cstr("/x"), u32(1), u32(0));
        byte[] none = v1Event(2, 2, 1);
        byte[] file = new ScapBuilder().shb(1, 0)
                .block(BlockType.EV, concat(new byte[2], four))
                .block(BlockType.EVF, concat(new byte[2], u32(1), none)).bytes();
        try (ScapReader r = reader(file)) {
            ScapEvent e = r.next();
            assertEquals(4, e.paramCount());
            assertEquals("/x", e.asString(1));
            assertEquals(0, e.asLong(4, 0));
            ScapEvent f = r.next();
            assertEquals(0, f.paramCount());
            assertEquals(1, f.dumpFlags());
        }
    }

    @Test
    void flaggedAndLargeEventBlocksRead() throws IOException {
        byte[] json = cstr("{\"container\":{}}");
        byte[] file = new ScapBuilder().shb(1, 2)
                .block(BlockType.EVF_V2, concat(new byte[] {3, 0}, u32(1), ScapBuilder.event(8, 5, 6, 2, i64(1), u32(10))))
                .block(BlockType.EV_V2_LARGE, concat(new byte[2], ScapBuilder.event(324, 6, 6, 4, json)))
                .block(BlockType.EVF_V2_LARGE, concat(new byte[2], u32(0), ScapBuilder.event(324, 7, 6, 4, json)))
                .bytes();
        try (ScapReader r = reader(file)) {
            ScapEvent w = r.next();
            assertEquals(List.of("write", 3, 1L, 10L), List.of(w.name(), w.cpu(), w.dumpFlags(), w.asLong(1, -1)));
            ScapEvent c = r.next();
            assertEquals("container", c.name());
            assertEquals("{\"container\":{}}", c.asString(0));
            assertEquals(7, r.next().timestamp());
            assertNull(r.next());
        }
    }

    /** Integers are sign-extended only for the table's signed types. */
    @Test
    void integerParametersFollowTheirTypesSign() throws IOException {
        byte[] file = new ScapBuilder().shb(1, 2)
                .event(248, 1, 1, u32(-5)) // accept4 enter: flags I32
                .event(8, 2, 1, i64(-1), u32(0xffffffffL)) // write enter: fd FD (i64), size U32
                .event(234, 3, 1, i64(-1), new byte[] {(byte) 0xff}) // procinfo: cpu_usr U64, cpu_sys U64 given 1 byte
                .bytes();
        try (ScapReader r = reader(file)) {
            assertEquals(-5, r.next().asLong(0, 0));
            ScapEvent w = r.next();
            assertEquals(-1, w.asLong(0, 0));
            assertEquals(0xffffffffL, w.asLong(1, 0));
            ScapEvent p = r.next();
            assertEquals(-1, p.asLong(0, 0));
            assertEquals(255, p.asLong(1, 0));
            assertEquals(7, p.asLong(5, 7), "absent parameter: the default");
        }
    }

    @Test
    void unknownMetadataBlocksAndNewerEventIdsAreSkipped() throws IOException {
        byte[] file = new ScapBuilder().shb(1, 2).block(0x7777, new byte[10])
                .event(400, 1, 1, i64(1)).event(4, 2, 1, i64(3)).bytes();
        try (ScapReader r = reader(file)) {
            assertEquals(List.of(2L), events(r).stream().map(ScapEvent::timestamp).toList());
            assertEquals(1, r.skippedNewerEvents());
        }
    }

    @Test
    void extraParametersAndBytesAfterTheEventAreTolerated() throws IOException {
        byte[] withTail = concat(new byte[2], ScapBuilder.event(9, 1, 1, 2, i64(6), cstr("abc"), u32(7)), new byte[9]);
        try (ScapReader r = reader(new ScapBuilder().shb(1, 2).block(BlockType.EV_V2, withTail).bytes())) {
            ScapEvent e = r.next();
            assertEquals(3, e.paramCount());
            assertEquals(6, e.asLong(0, -1));
            assertNull(e.paramType(2));
        }
    }

    /** Blocks larger than the reader's 256 KiB buffer: a big process list and a large-payload event. */
    @Test
    void blocksLargerThanTheBufferRead() throws IOException {
        ByteArrayOutputStream pl = new ByteArrayOutputStream();
        for (int t = 1; t <= 400; t++) {
            pl.writeBytes(ScapBuilder.thread(9, t, "c".repeat(1000)));
        }
        byte[] json = cstr("x".repeat(700_000));
        byte[] file = new ScapBuilder().shb(1, 2).block(BlockType.PL_V9, pl.toByteArray())
                .event(4, 1, 1, i64(3))
                .block(BlockType.EV_V2_LARGE, concat(new byte[2], ScapBuilder.event(324, 2, 1, 4, json)))
                .event(4, 3, 1, i64(4)).bytes();
        try (ScapReader r = reader(file)) {
            assertEquals(400, r.section().threads().size());
            assertEquals(400, r.section().threads().get(399).tid());
            List<ScapEvent> e = events(r);
            assertEquals(3, e.size());
            assertEquals(700_000, e.get(1).asString(0).length());
            assertEquals(4, e.get(2).asLong(0, -1));
        }
    }

    /** {@code cat a.scap b.scap}: a section header after events starts a new section. */
    @Test
    void concatenatedFilesReadAsOne() throws IOException {
        byte[] a = ScapFixtures.plain("test_ipv6_client");
        byte[] b = ScapFixtures.plain("single_ipv6_conn");
        try (ScapReader r = reader(concat(a, b))) {
            assertEquals("1.0", r.section().version());
            assertEquals(326 + 1728, events(r).size());
            assertEquals(2, r.sections());
            assertEquals("1.2", r.section().version());
            assertEquals(a.length, r.section().offset());
        }
    }

    @Test
    void gzipOfASyntheticFile() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(new ScapBuilder().shb(1, 2).event(4, 1, 1, i64(3)).bytes());
        }
        try (ScapReader r = reader(z.toByteArray())) {
            assertTrue(r.gzip());
            assertEquals(1, events(r).size());
        }
    }

    @Test
    void mixedBlockKindsRead() throws IOException {
        try (ScapReader r = reader(ScapBuilder.mixed())) {
            assertEquals(new MachineInfo(4, 1L << 33, 32768, "host"), r.section().machine());
            assertEquals(9, r.section().threads().size());
            List<ScapFd> fds = r.section().fds().get(1L);
            assertEquals("127.0.0.1:80->127.0.0.2:5000", fds.get(0).socket().text());
            assertEquals(2, fds.get(0).socket().l4proto());
            assertEquals(List.of("/etc", 1L, 7L), List.of(fds.get(1).name(), fds.get(1).openFlags(), fds.get(1).dev()));
            List<ScapEvent> e = events(r);
            assertEquals(20, e.size());
            assertEquals("127.0.0.1:5000->127.0.0.2:80", e.get(0).asTuple(1).text());
            assertEquals(1, e.get(0).dumpFlags());
            assertEquals("{\"a\":0}", e.get(1).asString(0));
            assertEquals(40, e.get(2).paramLength(1));
            assertEquals("hello", e.get(3).asString(1));
            assertEquals(3, e.get(4).asLong(0, -1));
        }
    }

    /** An fd of type 0 (unknown) has no payload: sysdig 0.29.3 reads on (a parity run found it). */
    @Test
    void unknownFdTypeHasNoPayload() throws IOException {
        byte[] fdl = concat(i64(1), i64(7), i64(0), new byte[] {0}, i64(8), i64(0), new byte[] {1, 2, 0, 'a', 'b'});
        byte[] file = new ScapBuilder().shb(1, 0).block(BlockType.PL_V5, ScapBuilder.thread(5, 1, "x"))
                .block(BlockType.FDL, fdl).event(4, 1, 1, i64(3)).bytes();
        try (ScapReader r = reader(file)) {
            List<ScapFd> fds = r.section().fds().get(1L);
            assertEquals(List.of(7L, 8L), fds.stream().map(ScapFd::fd).toList());
            assertEquals("ab", fds.get(1).name());
        }
    }

    /** {@code cat a.scap.gz b.scap.gz}: a gzip stream of two members is two sections. */
    @Test
    void concatenatedGzipFilesReadAsOne() throws IOException {
        byte[] gz = concat(ScapFixtures.gzipped("test_ipv6_client"), ScapFixtures.gzipped("curl_google"));
        try (ScapReader r = reader(gz)) {
            assertEquals(326 + 1536, events(r).size());
            assertEquals(2, r.sections());
        }
    }

    @Test
    void missingFileIsAnErrorAtOffsetZero(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        io.wiretop.trace.CaptureFileException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.wiretop.trace.CaptureFileException.class,
                () -> ScapReader.open(dir.resolve("none.scap")));
        assertEquals("offset 0: no such file", e.getMessage()); // one line like any other bad file
    }

    static byte[] v1Event(int type, long ts, long tid, byte[]... params) {
        int len = 22 + 2 * params.length;
        for (byte[] p : params) {
            len += p.length;
        }
        java.nio.ByteBuffer b = ScapBuilder.le(len);
        b.putLong(ts).putLong(tid).putInt(len).putShort((short) type);
        for (byte[] p : params) {
            b.putShort((short) p.length);
        }
        for (byte[] p : params) {
            b.put(p);
        }
        return b.array();
    }
}
