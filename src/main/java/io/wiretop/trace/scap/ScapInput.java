// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The blocks of a .scap stream, plain or gzip (sniffed from {@code 1f 8b}, as libscap's gzopen
 * accepts both), with the offset of each. A block is read straight into one reusable buffer, so
 * an event costs no copy and no allocation; {@link #body()} is valid until the next block is read.
 * Offsets count the bytes of the (decompressed) .scap data; every error says so for a gzip file.
 */
final class ScapInput implements Closeable {
    /** Block header (type, length) plus trailer. */
    static final int FRAME = 12;
    private static final int BUFFER = 1 << 18;
    /**
     * Largest block held in memory. libscap has no limit, but a process list of 25,000 threads with
     * full environments stays below it, and the launcher's 512 MiB heap must survive a forged length
     * followed by a gzip bomb.
     */
    static final int MAX_BLOCK = 128 << 20;

    private final InputStream in;
    private final boolean gzip;
    private byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private long bufBase;
    private boolean eof;

    private int type;
    private long total;
    private long at;
    private byte[] body;
    private int bodyStart;
    private int bodyLength;

    /** Takes the stream over: it is closed here when the gzip header fails, else by {@link #close()}. */
    ScapInput(InputStream raw) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(raw, 2);
        byte[] magic = peek.readNBytes(2);
        peek.unread(magic);
        gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        if (gzip) {
            try {
                in = new GZIPInputStream(peek, 1 << 16);
            } catch (EOFException e) {
                peek.close();
                throw new CaptureFileException(0, "gzip header cut short");
            } catch (ZipException e) {
                peek.close();
                throw new CaptureFileException(0, "gzip header damaged" + detail(e));
            }
        } else {
            in = peek;
        }
    }

    boolean gzip() {
        return gzip;
    }

    /** An error about the data at {@code offset}, naming the decompressed stream when the file is gzip. */
    CaptureFileException error(long offset, String reason) {
        return new CaptureFileException(offset, gzip ? "of the gunzipped data" : "", reason);
    }

    /** Offset of the next unread byte. */
    long offset() {
        return bufBase + pos;
    }

    /**
     * Reads the next block header; false at a clean end (no byte left). A header cut short or a
     * length too small to frame a block is an error.
     */
    boolean nextHeader() throws IOException {
        int have = ensure(8);
        at = offset();
        if (have == 0) {
            return false;
        }
        if (have < 8) {
            throw error(at, "block header cut short: 8 bytes needed, the data ends after " + have);
        }
        type = Le.i32(buf, pos);
        total = Le.u32(buf, pos + 4);
        return true;
    }

    /** The u32 at {@code n} bytes into the current block (a field to check before its length is trusted). */
    int peekInt(int n, String name) throws IOException {
        int have = ensure(n + 4);
        if (have < n + 4) {
            throw cutShort(name, have);
        }
        return Le.i32(buf, pos + n);
    }

    int type() {
        return type;
    }

    long total() {
        return total;
    }

    /** Offset of the current block's header. */
    long at() {
        return at;
    }

    /** Consumes the current block: body and trailer, which must repeat the header's length. */
    void readBody(String name) throws IOException {
        if (total < FRAME) {
            throw error(at, name + " length " + total + " is below the minimum " + FRAME);
        }
        if (total > MAX_BLOCK) {
            throw error(at, name + " length " + total + " exceeds the " + (MAX_BLOCK >> 20)
                    + " MiB this reader holds in memory");
        }
        int whole = (int) total;
        bodyLength = whole - FRAME;
        long trailer;
        if (whole <= buf.length) {
            int have = ensure(whole);
            if (have < whole) {
                throw cutShort(name, have);
            }
            body = buf;
            bodyStart = pos + 8;
            trailer = Le.u32(buf, pos + whole - 4);
            pos += whole;
        } else {
            body = readLarge(name, whole);
            bodyStart = 8;
            trailer = Le.u32(body, whole - 4);
        }
        if (trailer != total) {
            throw error(at, name + " length " + total + " in its header but " + trailer + " in its trailer");
        }
    }

    /** A block larger than the buffer, header to trailer, in its own array grown as data arrives (a forged length allocates nothing). */
    private byte[] readLarge(String name, int whole) throws IOException {
        byte[] big = new byte[BUFFER];
        int have = 0;
        while (have < whole) {
            int n = ensure(Math.min(buf.length, whole - have));
            if (n == 0) {
                throw cutShort(name, have);
            }
            if (have + n > big.length) {
                big = Arrays.copyOf(big, (int) Math.min(whole, Math.max(2L * big.length, have + n)));
            }
            System.arraycopy(buf, pos, big, have, n);
            pos += n;
            have += n;
        }
        return big;
    }

    private CaptureFileException cutShort(String name, int have) {
        return error(at, name + " cut short: " + total + " bytes needed, the data ends after " + have
                + (gzip ? " (the gzip stream ends there)" : ""));
    }

    byte[] body() {
        return body;
    }

    int bodyStart() {
        return bodyStart;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** Makes {@code n} bytes (at most the buffer) available from pos; returns how many are, fewer only at the end. */
    private int ensure(int n) throws IOException {
        if (lim - pos >= n || eof) {
            return Math.min(n, lim - pos);
        }
        if (pos + n > buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufBase += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim - pos < n) {
            int r;
            try {
                r = in.read(buf, lim, buf.length - lim);
            } catch (EOFException e) {
                throw error(bufBase + lim, "the gzip stream is cut short");
            } catch (ZipException e) {
                throw error(bufBase + lim, "the gzip data is damaged" + detail(e));
            }
            if (r < 0) {
                eof = true;
                break;
            }
            lim += r;
        }
        return Math.min(n, lim - pos);
    }

    /** The decompressor's own words, when it has any ("invalid distance too far back", "Corrupt GZIP trailer"). */
    private static String detail(ZipException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
