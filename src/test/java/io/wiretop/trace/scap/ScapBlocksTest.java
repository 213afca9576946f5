// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wiretop.trace.BlockFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each .scap block byte for byte against shared/reference/scap-format.md. */
class ScapBlocksTest {
    @TempDir
    Path tmp;

    static final byte[] SHB = hex("0a0d0d0a 1c000000 4d3c2b1a 0100 0200 ffffffffffffffff 1c000000");
    static final byte[] LO = {127, 0, 0, 1};

    /** The bytes written after the section header. */
    private byte[] afterShb(IoAction a) throws IOException {
        Path f = tmp.resolve("t" + System.nanoTime() + ".scap");
        try (ScapWriter w = ScapWriter.create(f)) {
            a.run(w);
        }
        byte[] all = Files.readAllBytes(f);
        assertArrayEquals(SHB, Arrays.copyOf(all, 28), "section header");
        return Arrays.copyOfRange(all, 28, all.length);
    }

    interface IoAction {
        void run(ScapWriter w) throws IOException;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aNewFileIsTheBareSectionHeaderOfVersionOneTwoWithModeSixHundred() throws IOException {
        Path f = tmp.resolve("a.scap");
        Files.writeString(f, "an older file, readable by all");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ScapWriter.create(f).close();
        assertArrayEquals(SHB, Files.readAllBytes(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void eventBlocksMatchTheReferencesAnnotatedExamples() throws IOException {
        byte[] b = afterShb(w -> {
            w.event().begin(1_700_000_000_000_000_000L, 42, 0, ScapEventWriter.CLOSE_E, 1).i64(3).end();
            byte[] tuple = hex("02 0a000005 50c3 0a000009 5000");
            w.event().begin(1_700_000_000_000_003_000L, 1001, 0, 23, 2).i64(0).bytes(tuple, 0, tuple.length).end();
        });
        byte[] close = hex("16020000 34000000 0000 00002a36fe9c9717 2a00000000000000 24000000 0400 01000000"
                + " 0800 0300000000000000 0000 34000000");                         // §7.1
        byte[] connect = hex("16020000 44000000 0000 b80b2a36fe9c9717 e903000000000000 33000000 1700 02000000"
                + " 0800 0d00 0000000000000000 02 0a000005 50c3 0a000009 5000 000000 44000000"); // §7.2
        byte[] expected = new byte[close.length + connect.length];
        System.arraycopy(close, 0, expected, 0, close.length);
        System.arraycopy(connect, 0, expected, close.length, connect.length);
        assertArrayEquals(expected, b);
    }

    @Test
    void anEventWithTheWrongParameterCountIsRefusedAndLeavesNothing() throws IOException {
        byte[] b = afterShb(w -> {
            assertThrows(IllegalStateException.class, () -> w.event().begin(1, 2, 0, 234, 2).u64(1).end());
            assertThrows(IllegalStateException.class, () -> w.event().begin(1, 2, 0, 4, 1).i64(3).i64(4));
            w.abandon(28); // the second one is still open: drop it as a caller would
            assertThrows(IllegalArgumentException.class, () -> w.event().begin(1, 2, 0, 400, 0));
        });
        assertEquals(0, b.length);
    }

    @Test
    void anEventTooLargeForANonLargeBlockIsRefused() throws IOException {
        byte[] b = afterShb(w -> {
            byte[] big = new byte[65536];
            // the reader's limit: block length - 8 <= 65536, i.e. body + padding + trailer <= 65536;
            // body = 2 (cpu) + 26 (header) + 4 (two lengths) + 8 + data
            assertThrows(IllegalArgumentException.class,
                    () -> w.event().begin(1, 2, 0, 9, 2).i64(1).bytes(big, 0, 65536 - 4 - 40 + 1).end());
            w.event().begin(1, 2, 0, 9, 2).i64(1).bytes(big, 0, 65536 - 4 - 40).end();
        });
        assertEquals(List.of(0x216), blockTypes(b));
        assertEquals(65536 + 8, b.length);
    }

    @Test
    void machineInfoIsOneHundredNinetyTwoBytes() throws IOException {
        byte[] b = afterShb(w -> ScapHeadBlocks.machine(w,
                new ScapHead.Machine(2, 8L << 30, 4194304, "box", 1_700_000_000_000_000_000L)));
        ByteBuffer l = le(b);
        assertEquals(0x201, l.getInt(0));
        assertEquals(192, l.getInt(4));
        assertEquals(192, b.length);
        assertEquals(192, l.getInt(188));
        assertEquals(2, l.getInt(8));
        assertEquals(8L << 30, l.getLong(12));
        assertEquals(4194304, l.getLong(20));
        assertEquals("box", new String(b, 28, 3, StandardCharsets.US_ASCII));
        for (int i = 31; i < 28 + 128; i++) {
            assertEquals(0, b[i], "hostname NUL padding at " + i);
        }
        assertEquals(1_700_000_000_000_000_000L, l.getLong(156));
    }

    @Test
    void interfaceEntriesCountTheirLengthWithoutTheLengthWord() throws IOException {
        byte[] b = afterShb(w -> ScapHeadBlocks.interfaces(w, List.of(
                new ScapHead.Interface("lo", LO, new byte[]{-1, 0, 0, 0}, new byte[4]))));
        assertArrayEquals(hex("19020000 2c000000 1a000000 0100 0200 7f000001 ff000000 00000000 0000000000000000"
                + " 6c6f 0000 2c000000"), b);
    }

    @Test
    void userAndGroupEntriesCountTheirLengthWithTheLengthWord() throws IOException {
        byte[] b = afterShb(w -> ScapHeadBlocks.users(w,
                List.of(new ScapHead.User(1000, 100, "ann", "/h", "/sh")), List.of(new ScapHead.Group(100, "ops"))));
        // entries of 27 and 14 bytes: body 41, three bytes of padding, block 56
        assertArrayEquals(hex("20020000 38000000"
                + " 1b000000 00 e8030000 64000000 0300 616e6e 0200 2f68 0300 2f7368"
                + " 0e000000 01 64000000 0300 6f7073"
                + " 000000 38000000"), b);
    }

    @Test
    void aUserFieldOfTwoHundredFiftySixBytesIsCutToWhatTheReaderAccepts() throws IOException {
        byte[] b = afterShb(w -> ScapHeadBlocks.users(w,
                List.of(new ScapHead.User(0, 0, "root", "/" + "d".repeat(300), "/bin/sh")), List.of()));
        assertEquals(255, le(b).getShort(8 + 4 + 9 + 2 + 4) & 0xFFFF);
    }

    @Test
    void processEntriesHoldEveryV9FieldInOrder() throws IOException {
        ScapHead.Thread t = new ScapHead.Thread(11, 10, 1, 9, 8, "cm", "ex", "/bin/ex", "a\0b\0".getBytes(),
                "/w", 1024, 8193, 1000, 100, 5, 6, 7, 2, 3, new byte[0], 11, 10, "cpu=/x\0".getBytes(), "/", -1, 4, 5);
        byte[] b = afterShb(w -> ScapHeadBlocks.processes(w, List.of(t)));
        ByteBuffer l = le(b);
        int entryLen = 4 + 40 + (2 + 2) + (2 + 2) + (2 + 7) + (2 + 4) + (2 + 2) + 8 + 4 + 4 + 4 + 12 + 16 + 2 + 16
                + (2 + 7) + (2 + 1) + 4 + 1; // the reference's formula
        assertEquals(0x215, l.getInt(0));
        assertEquals(entryLen, l.getInt(8));
        assertEquals((12 + entryLen + 3) & ~3, l.getInt(4));
        assertEquals(l.getInt(4), b.length);
        ByteBuffer e = le(b).position(12);
        assertEquals(11, e.getLong());
        assertEquals(10, e.getLong());
        assertEquals(1, e.getLong());
        assertEquals(9, e.getLong());
        assertEquals(8, e.getLong());
        assertEquals("cm", str(e));
        assertEquals("ex", str(e));
        assertEquals("/bin/ex", str(e));
        assertEquals("a\0b\0", str(e));
        assertEquals("/w", str(e));
        assertEquals(1024, e.getLong());
        assertEquals(8193, e.getInt());
        assertEquals(1000, e.getInt());
        assertEquals(100, e.getInt());
        assertEquals(5, e.getInt());
        assertEquals(6, e.getInt());
        assertEquals(7, e.getInt());
        assertEquals(2, e.getLong());
        assertEquals(3, e.getLong());
        assertEquals("", str(e));
        assertEquals(11, e.getLong());
        assertEquals(10, e.getLong());
        assertEquals("cpu=/x\0", str(e));
        assertEquals("/", str(e));
        assertEquals(-1, e.getInt());
        assertEquals(0, e.get());
        assertEquals(8 + entryLen, e.position()); // the entry starts after the block header
    }

    @Test
    void fdEntriesOfEachKind() throws IOException {
        byte[] b = afterShb(w -> ScapHeadBlocks.fds(w, 77, List.of(
                ScapHead.Fd.inet(3, 99, new byte[]{10, 0, 0, 5}, 50000, new byte[]{10, 0, 0, 9}, 80, ScapHead.Fd.L4_TCP),
                ScapHead.Fd.server(4, 98, LO, 8080, ScapHead.Fd.L4_TCP),
                ScapHead.Fd.file(5, 97, "/f", 4097, 0x803))));
        // entries 34 + 28 + 33 bytes after the tid: body 103, one byte of padding, block 116
        assertArrayEquals(hex("18020000 74000000 4d00000000000000"
                + " 22000000 0300000000000000 6300000000000000 03 0a000005 0a000009 50c3 5000 02"
                + " 1c000000 0400000000000000 6200000000000000 05 7f000001 901f 02"
                + " 21000000 0500000000000000 6100000000000000 10 01100000 0200 2f66 03080000"
                + " 00 74000000"), b);
    }

    @Test
    void theWholeHeadGoesInSysdigsOrderWithOneFdListPerProcess() throws IOException {
        ScapHead.Thread main = thread(20, 20, 0);
        ScapHead.Thread second = thread(21, 20, 8193);
        ScapHead head = new ScapHead(new ScapHead.Machine(1, 1, 1, "h", 0), List.of(), List.of(), List.of(),
                List.of(main, second), Map.of(20L, List.of(ScapHead.Fd.named(0, 1, ScapHead.Fd.FIFO, "pipe:[1]"))));
        byte[] b = afterShb(w -> ScapHeadBlocks.write(w, head));
        assertEquals(List.of(0x201, 0x219, 0x220, 0x215, 0x218), blockTypes(b));
    }

    @Test
    void aFailedWriteLeavesTheFileCutAtTheLastWholeBlock() throws IOException {
        Path f = tmp.resolve("full.scap");
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ScapWriter w = ScapWriter.on(new FailingChannel(ch, 28 + 52 + 20)); // the "disk" fills mid second event
        for (int i = 0; i < 3; i++) {
            w.event().begin(i, 42, 0, ScapEventWriter.CLOSE_E, 1).i64(i).end();
        }
        IOException e = assertThrows(IOException.class, w::flush);
        assertEquals("No space left on device", e.getMessage());
        assertThrows(IOException.class, () -> w.event().begin(9, 42, 0, ScapEventWriter.CLOSE_E, 1));
        w.close();
        byte[] all = Files.readAllBytes(f);
        assertEquals(28 + 52, all.length);
        assertEquals(List.of(0x216), blockTypes(Arrays.copyOfRange(all, 28, all.length)));
        assertEquals(28 + 52, w.bytesOnDisk());
        assertEquals(28 + 52, w.fileBytes(), "the size the recording's summary says is written");
    }

    /** A raw event as the kernel stream gives it: the 26-byte header and one 4-byte parameter. */
    private static ByteBuffer rawEvent(long ts) {
        ByteBuffer e = ByteBuffer.allocate(26 + 2 + 4).order(ByteOrder.LITTLE_ENDIAN);
        e.putLong(ts).putLong(42).putInt(32).putShort((short) ScapEventWriter.CLOSE_E).putInt(1).putShort((short) 4).putInt(3);
        return e.flip();
    }

    /**
     * The disk fills in the middle of a batch: the raw events whose blocks reached the file whole are
     * counted, the rest are not (the recording's summary says how many events the file holds).
     */
    @Test
    void aFailedWriteCountsTheRawEventsThatReachedTheFileWhole() throws IOException {
        Path f = tmp.resolve("full-raw.scap");
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        int block = BlockFrame.totalLength(2 + 32);
        ScapWriter w = ScapWriter.on(new FailingChannel(ch, 28 + 2L * block + 10)); // fills mid third event
        for (int i = 0; i < 4; i++) {
            w.rawEvent(0, rawEvent(i));
        }
        assertThrows(IOException.class, w::flush);
        w.close();
        assertEquals(28 + 2L * block, Files.size(f));
        assertEquals(2, w.rawEventsOnDisk());
    }

    @Test
    void closingInsideABlockKeepsTheWholeBlocksBeforeIt() throws IOException {
        byte[] b = afterShb(w -> {
            w.event().begin(1, 42, 0, ScapEventWriter.CLOSE_E, 1).i64(3).end();
            w.event().begin(2, 42, 0, ScapEventWriter.PROCINFO_E, 2).u64(1); // the caller fails here
        });
        assertEquals(List.of(0x216), blockTypes(b));
    }

    /** Walks blocks, checking each trailer equals its header length and that they end exactly at EOF. */
    static List<Integer> blockTypes(byte[] b) {
        ByteBuffer l = le(b);
        java.util.ArrayList<Integer> types = new java.util.ArrayList<>();
        int at = 0;
        while (at < b.length) {
            int len = l.getInt(at + 4);
            assertEquals(0, len % 4, "block at " + at + " is padded");
            assertEquals(len, l.getInt(at + len - 4), "trailer of block at " + at);
            types.add(l.getInt(at));
            at += len;
        }
        assertEquals(b.length, at);
        return types;
    }

    private static ScapHead.Thread thread(long tid, long pid, int flags) {
        return new ScapHead.Thread(tid, pid, 1, 1, 1, "c", "c", "/c", new byte[0], "/", 1, flags, 0, 0, 0, 0, 0, 0, 0,
                new byte[0], tid, pid, new byte[0], "/", -1, 0, 0);
    }

    private static String str(ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xFFFF];
        b.get(s);
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String s) {
        String h = s.replace(" ", "");
        byte[] r = new byte[h.length() / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return r;
    }

    /** A file channel that takes {@code room} bytes, then fails as a full disk does (after a partial write). */
    static final class FailingChannel implements java.nio.channels.SeekableByteChannel {
        private final FileChannel ch;
        private long room;

        FailingChannel(FileChannel ch, long room) {
            this.ch = ch;
            this.room = room;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (room == 0) {
                throw new IOException("No space left on device");
            }
            int n = (int) Math.min(room, src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int w = ch.write(part);
            src.position(src.position() + w);
            room -= w;
            return w;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FailingChannel position(long p) throws IOException {
            ch.position(p);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FailingChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
