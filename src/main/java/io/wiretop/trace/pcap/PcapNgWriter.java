// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.bpf.NativeMemory;
import io.wiretop.decode.Direction;
import io.wiretop.packet.PacketRecord;
import io.wiretop.trace.BlockFrame;

import java.io.Closeable;
import java.io.IOException;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes PcapNG (little-endian) with ptcpdump's layout: a section header block naming wiretop,
 * one interface description block per interface (nanosecond resolution) and enhanced packet blocks
 * carrying the direction in epb_flags and the process context as opt_comment options.
 * Blocks are built in the writer's own 1 MiB buffer, outside the Java heap, and reach the file when
 * it fills or on {@link #flush()}: a live capture writes hundreds of thousands of blocks per
 * second, and a heap buffer would be copied once more on its way to write(2).
 * Not thread-safe: confine to the thread that writes packets.
 */
public final class PcapNgWriter implements Closeable {
    private static final int SHB = 0x0A0D0D0A, IDB = 1, EPB = 6;
    private static final int OPT_END = 0, OPT_COMMENT = 1;
    private static final int BUFFER = 1 << 20;
    private final WritableByteChannel out;
    private final OutputStream stream; // when given a stream: flushed and closed with the writer
    private final WriteBehind behind;
    private ByteBuffer buf;
    private long bufAddress;
    private final String userAppl;
    private long bytesWritten;
    private int interfaces;

    /** Writes the section header; {@code userAppl} is e.g. "wiretop 0.1.0". */
    public PcapNgWriter(OutputStream out, String userAppl) throws IOException {
        this(Channels.newChannel(out), out, userAppl);
    }

    /** Writes to a channel (a file): the buffer goes to write(2) without another copy. */
    public PcapNgWriter(WritableByteChannel out, String userAppl) throws IOException {
        this(out, null, userAppl);
    }

    private PcapNgWriter(WritableByteChannel out, OutputStream stream, String userAppl) throws IOException {
        this.out = out;
        this.stream = stream;
        // a file is written behind the capture (16 MiB in flight); a stream (stdout) synchronously
        this.behind = stream == null ? new WriteBehind(out, 16, BUFFER, "wiretop-pcapng-writer") : null;
        buf = behind != null ? behind.take() : ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        bufAddress = NativeMemory.addressOf(buf);
        this.userAppl = userAppl;
        sectionHeader();
    }

    /**
     * Goes on in a new file (-C): what was written so far is finished in the old one, which is
     * closed behind the capture; the new file starts with its own section header (interfaces
     * must be added again). Only for a writer made on a channel.
     */
    void rotate(WriteBehind.Opener next) throws IOException {
        if (behind == null) {
            throw new IllegalStateException("rotation needs a file, not a stream");
        }
        drainBuffer();
        behind.switchTo(next);
        bytesWritten = 0;
        interfaces = 0;
        sectionHeader();
    }

    private void sectionHeader() throws IOException {
        Block b = new Block(SHB);
        b.buf.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        b.option(2, System.getProperty("os.arch"));  // shb_hardware
        b.option(3, "linux");                          // shb_os
        b.option(4, userAppl);                         // shb_userappl
        b.option(OPT_COMMENT, "wiretop: per-process packet capture; process context in packet comments");
        emit(b);
    }

    /**
     * Adds an interface description block and returns its interface id.
     *
     * @param comment ptcpdump's "ifIndex: N, netNsInode: N, netNsPath: P", or null
     * @param filter  the capture filter expression, or null
     */
    public int addInterface(String name, int linkType, int snaplen, String comment, String filter) throws IOException {
        Block b = new Block(IDB);
        b.buf.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        b.option(2, name);                       // if_name
        if (comment != null) {
            b.option(OPT_COMMENT, comment);
        }
        if (filter != null && !filter.isEmpty()) {
            byte[] f = filter.getBytes(StandardCharsets.UTF_8);
            byte[] v = new byte[f.length + 1];     // leading 0: libpcap filter string
            System.arraycopy(f, 0, v, 1, f.length);
            b.option(11, v);                       // if_filter
        }
        b.option(12, "linux");                   // if_os
        b.option(9, new byte[]{9});              // if_tsresol: nanoseconds
        emit(b);
        return interfaces++;
    }

    /** Appends one enhanced packet block. */
    public void write(int ifId, long tsNanos, byte[] data, int off, int caplen, int origLen, Direction dir,
                      List<String> comments) throws IOException {
        byte[] opts = commentOptions(comments);
        ByteBuffer b = epbHeader(ifId, tsNanos, caplen, origLen, dir, opts);
        b.put(data, off, caplen);
        epbTrailer(b, dir, opts);
    }

    /** Appends one enhanced packet block for a live record, copied from the ring straight into the buffer. */
    public void write(int ifId, PacketRecord r) throws IOException {
        int caplen = r.frameLength();
        byte[] opts = commentOptions(r.comments());
        Direction dir = r.direction();
        ByteBuffer b = epbHeader(ifId, r.tsNanos(), caplen, r.origLength(), dir, opts);
        r.copyFrame(bufAddress + b.position());
        b.position(b.position() + caplen);
        epbTrailer(b, dir, opts);
    }

    private int epbStart; // where the block being written starts in buf

    /** Makes room for the whole block and writes everything before the packet bytes. */
    private ByteBuffer epbHeader(int ifId, long tsNanos, int caplen, int origLen, Direction dir, byte[] opts)
            throws IOException {
        if (ifId < 0 || ifId >= interfaces) {
            throw new IllegalArgumentException("unknown interface id " + ifId);
        }
        boolean hasDir = dir != Direction.UNKNOWN;
        boolean hasOptions = opts.length > 0 || hasDir;
        int total = 8 + 20 + caplen + (4 - caplen % 4) % 4 + opts.length + (hasDir ? 8 : 0) + (hasOptions ? 4 : 0) + 4;
        ByteBuffer b = room(total);
        epbStart = BlockFrame.begin(b, EPB);
        b.putInt(ifId).putInt((int) (tsNanos >>> 32)).putInt((int) tsNanos).putInt(caplen).putInt(origLen);
        return b;
    }

    private void epbTrailer(ByteBuffer b, Direction dir, byte[] opts) {
        BlockFrame.pad(b, epbStart); // the packet bytes, before the options
        b.put(opts);
        boolean hasDir = dir != Direction.UNKNOWN;
        if (hasDir) {
            b.putShort((short) 2).putShort((short) 4).putInt(dir.epbFlags);
        }
        if (hasDir || opts.length > 0) {
            b.putShort((short) OPT_END).putShort((short) 0);
        }
        bytesWritten += BlockFrame.end(b, epbStart);
    }

    /** The buffer with at least n bytes free (flushed first if needed, grown for an oversized block). */
    private ByteBuffer room(int n) throws IOException {
        if (buf.remaining() < n) {
            drainBuffer();
            if (buf.capacity() < n) {
                buf = ByteBuffer.allocateDirect(Integer.highestOneBit(n) << 1).order(ByteOrder.LITTLE_ENDIAN);
                bufAddress = NativeMemory.addressOf(buf);
            }
        }
        return buf;
    }

    private void drainBuffer() throws IOException {
        if (buf.position() > 0 && behind != null) {
            behind.submit(buf);
            buf = behind.take();
            bufAddress = NativeMemory.addressOf(buf);
        } else if (buf.position() > 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            buf.clear();
        }
    }

    // a live capture hands the same (cached) comment list for every packet of a thread: encode once
    private final java.util.IdentityHashMap<List<String>, byte[]> encodedComments = new java.util.IdentityHashMap<>();

    /** The comment options of an EPB, encoded as Block.option() does (code, length, value, padding). */
    private byte[] commentOptions(List<String> comments) {
        byte[] e = encodedComments.get(comments);
        if (e == null) {
            Block enc = new Block(0, 64);
            for (String c : comments) {
                enc.option(OPT_COMMENT, c);
            }
            e = java.util.Arrays.copyOfRange(enc.buf.array(), 8, enc.buf.position());
            if (encodedComments.size() > 4096) {
                encodedComments.clear(); // lists read from files are new objects per packet
            }
            encodedComments.put(comments, e);
        }
        return e;
    }

    /** Bytes written so far (for -C rotation). */
    public long bytesWritten() {
        return bytesWritten;
    }

    public void flush() throws IOException {
        drainBuffer();
        if (behind != null) {
            behind.drain();
        }
        if (stream != null) {
            stream.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            drainBuffer();
        } finally {
            if (behind != null) {
                behind.close(); // writes what is pending, then closes the channel
            } else {
                out.close();
            }
        }
    }

    private void emit(Block b) throws IOException {
        byte[] bytes = b.finish();
        room(bytes.length).put(bytes);
        bytesWritten += bytes.length;
    }

    /** A block under construction: type, length placeholder, body, options, trailing length. */
    private static final class Block {
        ByteBuffer buf;
        boolean hasOptions;

        Block(int type) {
            this(type, 256);
        }

        Block(int type, int capacity) {
            buf = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
            BlockFrame.begin(buf, type);
        }

        void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 64))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void bytes(byte[] d, int off, int len) {
            ensure(len + 3);
            buf.put(d, off, len);
            pad();
        }

        void pad() {
            BlockFrame.pad(buf, 0);
        }

        void option(int code, String value) {
            option(code, value.getBytes(StandardCharsets.UTF_8));
        }

        void option(int code, byte[] value) {
            ensure(value.length + 8);
            buf.putShort((short) code).putShort((short) value.length).put(value);
            pad();
            hasOptions = true;
        }

        byte[] finish() {
            if (hasOptions) {
                ensure(4);
                buf.putShort((short) OPT_END).putShort((short) 0);
            }
            ensure(4 + 3);
            int total = BlockFrame.end(buf, 0);
            byte[] r = new byte[total];
            buf.flip();
            buf.get(r);
            return r;
        }
    }
}
