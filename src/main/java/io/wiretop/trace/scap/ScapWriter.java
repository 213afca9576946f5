// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.BlockFrame;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a .scap file (sysdig's capture format, version 1.2, little-endian) as sysdig 0.29.3 reads
 * it: the section header on creation, then whatever blocks the caller frames with {@link #begin}
 * and {@link #end} (see {@link ScapHeadBlocks} and {@link ScapEventWriter}). The file is created with
 * mode 0600 from the start: it may hold payload bytes, environment and command lines.
 *
 * <p>Blocks are gathered whole in a buffer and reach the file in batches. If a write fails (disk
 * full, I/O error) the file is cut back to the end of the last block that reached it whole, so it
 * stays readable up to there, and the error is thrown; the writer takes no more blocks.
 *
 * <p>With gzip (sysdig's {@code -z}) the whole file is one gzip stream. Each batch is compressed
 * and sync-flushed before it is written, so the file always ends on a deflate block boundary after
 * whole scap blocks: a file cut by a failure (truncated back to the end of the last batch written
 * whole) or by a kill gunzips up to there, short only of the gzip trailer.
 * Not thread-safe.
 */
public final class ScapWriter implements Closeable {
    private static final int BATCH = 1 << 20;

    private final SeekableByteChannel out;
    /** The gzip stream over {@link #out}, or null for a plain file. */
    private final GZIPOutputStream gz;
    /** Bytes of the file itself (compressed when gzip) at the end of the last batch written whole. */
    private long fileBytes;
    private ByteBuffer buf = ByteBuffer.allocate(BATCH + (64 << 10)).order(ByteOrder.LITTLE_ENDIAN);
    private long onDisk; // bytes of whole blocks in the file
    private int open = -1; // start of the block being written, -1 between blocks
    private IOException failed;
    /** Where each {@link #rawEvent} block of the batch ends, to count those that reach the file. */
    private int[] rawEnds = new int[1024];
    private int rawPending;
    private long rawOnDisk;
    private final ScapEventWriter event = new ScapEventWriter(this);

    private ScapWriter(SeekableByteChannel out, boolean gzip) throws IOException {
        this.out = out;
        // syncFlush: flush() ends each batch on a deflate block boundary (readable if the file is cut there)
        this.gz = gzip ? new GZIPOutputStream(Channels.newOutputStream(out), 1 << 16, true) : null;
        int start = begin(BlockType.SHB);
        buf.putInt(BlockType.SHB_MAGIC).putShort((short) 1).putShort((short) 2).putLong(-1L);
        end(start);
    }

    /**
     * Creates {@code file} with mode 0600 and writes the section header. An existing regular file
     * is replaced by a new one rather than truncated, so it cannot keep a wider mode.
     */
    public static ScapWriter create(Path file) throws IOException {
        return create(file, false);
    }

    /** As {@link #create(Path)}, the whole file gzip-compressed when {@code gzip} (sysdig -z). */
    public static ScapWriter create(Path file, boolean gzip) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(file);
        }
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            return new ScapWriter(ch, gzip);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A writer on an already open, empty channel (tests give one that fails on purpose). */
    static ScapWriter on(SeekableByteChannel ch) throws IOException {
        return new ScapWriter(ch, false);
    }

    /** A gzip writer on an already open, empty channel. */
    static ScapWriter gzipOn(SeekableByteChannel ch) throws IOException {
        return new ScapWriter(ch, true);
    }

    /** The (reused) builder of the next event block. Events must follow the whole head. */
    public ScapEventWriter event() {
        return event;
    }

    /**
     * Appends one event already in scap's encoding, as the kernel's syscall stream builds it: the
     * 26-byte header ({@code u64 ts, u64 tid, u32 len, u16 type, u32 nparams}), one u16 length per
     * parameter, the values; {@code event} from its position to its limit (left unchanged). Framed
     * as an EV_V2 block on {@code cpu}.
     */
    public void rawEvent(int cpu, ByteBuffer event) throws IOException {
        int n = event.remaining();
        if (n < 26 || n + 2 > ScapEventWriter.MAX_BLOCK_BODY) {
            throw new IllegalArgumentException("an event of " + n + " bytes");
        }
        int start = begin(BlockType.EV_V2);
        ByteBuffer b = room(2 + n);
        b.putShort((short) cpu);
        b.put(event.duplicate());
        int endAt = start + BlockFrame.totalLength(2 + n);
        if (rawPending == rawEnds.length) {
            rawEnds = java.util.Arrays.copyOf(rawEnds, rawPending * 2);
        }
        rawEnds[rawPending++] = endAt;
        end(start);
    }

    /**
     * Appends an event with one parameter of an {@code EF_LARGE_PAYLOAD} type (the container JSON):
     * a u32 length instead of a u16, in an EV_V2_LARGE block, as sysdig's writer frames them.
     */
    void largeEvent(int cpu, long tsNanos, long tid, int type, byte[] value) throws IOException {
        int start = begin(BlockType.EV_V2_LARGE);
        int len = 26 + 4 + value.length;
        room(2 + len).putShort((short) cpu).putLong(tsNanos).putLong(tid).putInt(len).putShort((short) type).putInt(1)
                .putInt(value.length).put(value);
        end(start);
    }

    /** Opens a block; the body is then written into {@link #room}'s buffer. Returns the block's start. */
    int begin(int type) throws IOException {
        if (failed != null) {
            throw new IOException("the capture file is unusable after an earlier write error", failed);
        }
        if (open >= 0) {
            throw new IllegalStateException("a block is already open");
        }
        room(8);
        open = BlockFrame.begin(buf, type);
        return open;
    }

    /** The buffer, with at least n bytes free after its position (grown in place: positions stay valid). */
    ByteBuffer room(int n) {
        if (buf.remaining() < n + 4 + 3) { // keep room for the padding and trailer
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 64))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }

    /** Closes the block begun at {@code start}; returns its total length. */
    int end(int start) throws IOException {
        room(0);
        int total = BlockFrame.end(buf, start);
        open = -1;
        if (buf.position() >= BATCH) {
            flush();
        }
        return total;
    }

    /** Forgets the block being written (its body turned out invalid). */
    void abandon(int start) {
        buf.position(start);
        open = -1;
    }

    /** Writes u16 length + bytes (no NUL), at most {@code max} bytes: the head's string encoding. */
    void str(String s, int max) {
        bytesWithLength(s.getBytes(StandardCharsets.UTF_8), max);
    }

    /** u16 length + raw bytes, cut to {@code max}. */
    void bytesWithLength(byte[] b, int max) {
        int n = Math.min(b.length, max);
        room(2 + n).putShort((short) n).put(b, 0, n);
    }

    /** Sends the whole blocks gathered so far to the file. */
    public void flush() throws IOException {
        if (open >= 0) {
            throw new IllegalStateException("flush inside a block");
        }
        if (failed != null) {
            throw new IOException("the capture file is unusable after an earlier write error", failed);
        }
        buf.flip();
        if (gz != null) {
            flushGzip();
            return;
        }
        try {
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            failed = e;
            cutToWholeBlocks(buf.position());
            throw e;
        }
        onDisk += buf.limit();
        fileBytes = onDisk;
        rawOnDisk += rawPending;
        rawPending = 0;
        buf.clear();
    }

    /** The batch compressed and sync-flushed; on failure the file goes back to the previous batch's end. */
    private void flushGzip() throws IOException {
        try {
            if (buf.hasRemaining()) {
                gz.write(buf.array(), buf.arrayOffset(), buf.limit());
                gz.flush();
            }
        } catch (IOException e) {
            failed = e;
            try {
                out.truncate(fileBytes); // a partly written deflate block cannot be read: drop the whole batch
            } catch (IOException ignored) {
                // nothing more can be done: the error being thrown says the file is incomplete
            }
            throw e;
        }
        onDisk += buf.limit();
        fileBytes = out.position();
        rawOnDisk += rawPending;
        rawPending = 0;
        buf.clear();
    }

    /** After a failed write of {@code written} bytes of the batch: truncates the file to the last whole block. */
    private void cutToWholeBlocks(int written) {
        int whole = 0;
        while (whole + 8 <= buf.limit()) {
            int len = buf.getInt(whole + 4);
            if (whole + len > written) {
                break;
            }
            whole += len;
        }
        try {
            out.truncate(onDisk + whole);
        } catch (IOException e) {
            // nothing more can be done: the error being thrown says the file is incomplete
        }
        onDisk += whole;
        fileBytes = onDisk;
        for (int i = 0; i < rawPending && rawEnds[i] <= whole; i++) {
            rawOnDisk++;
        } // the whole blocks of the failed batch are in the file too
    }

    /**
     * The {@link #rawEvent} blocks that reached the file whole: after a failed write, fewer than
     * were given (the rest of the batch is not in the file).
     */
    public long rawEventsOnDisk() {
        return rawOnDisk;
    }

    /** Bytes of whole blocks that reached the file (uncompressed .scap bytes for a gzip file). */
    public long bytesOnDisk() {
        return onDisk;
    }

    /** The size of the file as written so far (compressed for gzip), up to the last batch written whole. */
    public long fileBytes() {
        return fileBytes;
    }

    /** Bytes of whole blocks gathered but not yet written (the next {@link #flush()} writes them). */
    public int pendingBytes() {
        return open >= 0 ? open : buf.position();
    }

    /** Writes the whole blocks gathered so far (a block left open is dropped) and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            if (open >= 0) {
                abandon(open);
            }
            if (failed == null) {
                flush();
                if (gz != null) {
                    gz.finish(); // the gzip trailer: CRC and length
                    fileBytes = out.position();
                }
            }
        } finally {
            out.close();
        }
    }
}
