// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic pcap (micro- or nanosecond, either byte order) and PcapNG (any byte order, several
 * sections, IDBs with if_tsresol, EPB/SPB with comments and epb_flags), so files from tcpdump,
 * Wireshark, ptcpdump and wiretop itself read back with their process context. Not thread-safe.
 */
public final class PcapReader implements Closeable {
    private static final int NG_MAGIC = 0x0A0D0D0A;
    private final DataInputStream in;
    private final boolean ng;
    private ByteOrder order;
    private boolean nanos;
    private int classicLinkType;
    private final List<Iface> ifaces = new ArrayList<>();

    private record Iface(String name, int linkType, long unitsPerSecond) {
    }

    /** Opens a stream and reads its file header; a clear IOException when it is neither pcap nor pcapng. */
    public PcapReader(InputStream stream) throws IOException {
        in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        byte[] magic = new byte[4];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException("empty file: not a pcap or pcapng capture");
        }
        int be = ByteBuffer.wrap(magic).getInt();
        int le = ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (be == NG_MAGIC) {
            ng = true;
            readSectionHeader();
        } else if (le == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b2c3d4 || be == 0xa1b23c4d) {
            ng = false;
            order = (le == 0xa1b2c3d4 || le == 0xa1b23c4d) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            nanos = (order == ByteOrder.LITTLE_ENDIAN ? le : be) == 0xa1b23c4d;
            ByteBuffer h = read(20);
            h.position(16);
            classicLinkType = h.getInt() & 0xffff;
        } else {
            throw new IOException(String.format("unknown file format (magic 0x%08x): not a pcap or pcapng capture", be));
        }
    }

    /** Link type of the first interface (classic pcap: the file's), or -1 when none is known yet. */
    public int firstLinkType() {
        return ng ? (ifaces.isEmpty() ? -1 : ifaces.get(0).linkType) : classicLinkType;
    }

    /** The next packet, or null at end of file. */
    public CapturedPacket next() throws IOException {
        return ng ? nextNg() : nextClassic();
    }

    private CapturedPacket nextClassic() throws IOException {
        ByteBuffer h;
        try {
            h = read(16);
        } catch (EOFException e) {
            return null;
        }
        long sec = h.getInt() & 0xffffffffL, frac = h.getInt() & 0xffffffffL;
        int caplen = h.getInt(), len = h.getInt();
        if (caplen < 0 || caplen > 1 << 26) {
            throw new IOException("corrupt pcap record (caplen " + caplen + ")");
        }
        byte[] data = new byte[caplen];
        in.readFully(data);
        long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
        return new CapturedPacket(ts, "", classicLinkType, data, len, Direction.UNKNOWN, ProcessContext.NONE, List.of());
    }

    private CapturedPacket nextNg() throws IOException {
        while (true) {
            byte[] head = new byte[8];
            int n = in.readNBytes(head, 0, 8);
            if (n == 0) {
                return null;
            }
            if (n < 8) {
                throw new IOException("truncated pcapng block header");
            }
            if (ByteBuffer.wrap(head).getInt() == NG_MAGIC) {
                // a new section: byte order may change, interface ids restart
                ifaces.clear();
                readSectionHeaderAfterType(head);
                continue;
            }
            ByteBuffer hb = ByteBuffer.wrap(head).order(order);
            int type = hb.getInt(), total = hb.getInt();
            if (total < 12 || total % 4 != 0 || total > 1 << 26) {
                throw new IOException("corrupt pcapng block length " + total);
            }
            ByteBuffer body = read(total - 8);
            switch (type) {
                case 1 -> readIdb(body);
                case 6 -> {
                    return readEpb(body, total);
                }
                case 3 -> {
                    return readSpb(body, total);
                }
                default -> {
                } // NRB, ISB, DSB, custom blocks: nothing wiretop needs
            }
        }
    }

    private void readSectionHeader() throws IOException {
        byte[] lenAndBom = new byte[8];
        in.readFully(lenAndBom);
        finishSectionHeader(lenAndBom);
    }

    private void readSectionHeaderAfterType(byte[] head) throws IOException {
        byte[] bom = new byte[4];
        in.readFully(bom);
        byte[] lenAndBom = new byte[8];
        System.arraycopy(head, 4, lenAndBom, 0, 4);
        System.arraycopy(bom, 0, lenAndBom, 4, 4);
        finishSectionHeader(lenAndBom);
    }

    private void finishSectionHeader(byte[] lenAndBom) throws IOException {
        int bomLe = ByteBuffer.wrap(lenAndBom, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        order = bomLe == 0x1A2B3C4D ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        if (order == ByteOrder.BIG_ENDIAN && ByteBuffer.wrap(lenAndBom, 4, 4).getInt() != 0x1A2B3C4D) {
            throw new IOException("bad pcapng byte-order magic");
        }
        int total = ByteBuffer.wrap(lenAndBom, 0, 4).order(order).getInt();
        if (total < 28 || total % 4 != 0) {
            throw new IOException("corrupt pcapng section header length " + total);
        }
        read(total - 12); // version, section length, options, trailing length
    }

    private void readIdb(ByteBuffer b) {
        int linkType = b.getShort() & 0xffff;
        b.getShort();
        b.getInt();
        String name = "";
        long units = 1_000_000;
        for (Opt o : options(b, b.position(), b.limit() - 4)) {
            if (o.code == 2) {
                name = new String(o.value, StandardCharsets.UTF_8);
            } else if (o.code == 9 && o.value.length >= 1) {
                int r = o.value[0] & 0xff;
                units = (r & 0x80) != 0 ? 1L << (r & 0x7f) : pow10(r);
            }
        }
        ifaces.add(new Iface(name, linkType, units));
    }

    private CapturedPacket readEpb(ByteBuffer b, int total) throws IOException {
        int ifId = b.getInt();
        long ts = ((b.getInt() & 0xffffffffL) << 32) | (b.getInt() & 0xffffffffL);
        int caplen = b.getInt(), len = b.getInt();
        if (caplen < 0 || 20 + caplen > total - 12) {
            throw new IOException("corrupt enhanced packet block (caplen " + caplen + ")");
        }
        Iface f = iface(ifId);
        byte[] data = new byte[caplen];
        b.get(data);
        int optStart = 20 + ((caplen + 3) & ~3);
        List<String> comments = new ArrayList<>();
        Direction dir = Direction.UNKNOWN;
        for (Opt o : options(b, optStart, b.limit() - 4)) {
            if (o.code == 1) {
                comments.add(new String(o.value, StandardCharsets.UTF_8));
            } else if (o.code == 2 && o.value.length == 4) {
                dir = Direction.fromEpbFlags(ByteBuffer.wrap(o.value).order(order).getInt());
            }
        }
        long nanosTs = toNanos(ts, f.unitsPerSecond);
        return new CapturedPacket(nanosTs, f.name, f.linkType, data, len, dir,
                ProcessContext.fromComments(comments), List.copyOf(comments));
    }

    private CapturedPacket readSpb(ByteBuffer b, int total) throws IOException {
        Iface f = iface(0);
        int len = b.getInt();
        byte[] data = new byte[Math.min(len, total - 16)];
        b.get(data);
        return new CapturedPacket(0, f.name, f.linkType, data, len, Direction.UNKNOWN, ProcessContext.NONE, List.of());
    }

    private Iface iface(int id) throws IOException {
        if (id < 0 || id >= ifaces.size()) {
            throw new IOException("packet refers to undeclared interface " + id);
        }
        return ifaces.get(id);
    }

    private record Opt(int code, byte[] value) {
    }

    private List<Opt> options(ByteBuffer b, int from, int to) {
        List<Opt> r = new ArrayList<>();
        int p = from;
        while (p + 4 <= to) {
            int code = b.getShort(p) & 0xffff, len = b.getShort(p + 2) & 0xffff;
            if (code == 0 || p + 4 + len > to) {
                break;
            }
            byte[] v = new byte[len];
            b.get(p + 4, v);
            r.add(new Opt(code, v));
            p += 4 + ((len + 3) & ~3);
        }
        return r;
    }

    private static long toNanos(long ts, long unitsPerSecond) {
        if (unitsPerSecond == 1_000_000_000L) {
            return ts;
        }
        long sec = ts / unitsPerSecond, frac = ts % unitsPerSecond;
        return sec * 1_000_000_000L + frac * 1_000_000_000L / unitsPerSecond;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n && i < 18; i++) {
            v *= 10;
        }
        return v;
    }

    private ByteBuffer read(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return ByteBuffer.wrap(b).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
