// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.trace.CaptureFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PcapNG blocks (any byte order, several sections, IDBs with if_tsresol and if_tsoffset; EPB, SPB
 * and the obsolete PB with comments and epb_flags). Every block is framed strictly: a length
 * below 12, not a multiple of 4, beyond the limit, or differing between header and trailer
 * ends the reading with an error at the block's offset, as libpcap does.
 */
final class PcapNgFormat implements CaptureFormat {
    static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1, PB = 2, SPB = 3, EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** libpcap's limits: 1 MiB for a section header, 16 MiB for other blocks unless a link type needs more. */
    private static final long SHB_MAX = 1 << 20, BLOCK_MAX = 16 << 20;
    private static final int OPT_COMMENT = 1, OPT_EPB_FLAGS = 2;

    private final CaptureInput in;
    private ByteOrder order;
    private final List<PcapNgInterface> ifaces = new ArrayList<>(); // of the current section
    private long blockMax = BLOCK_MAX;
    private final int firstLinkType;
    private PcapNgInterface first;
    private final java.util.Set<Integer> undecodedWarned = new java.util.HashSet<>();
    private final List<CaptureWarning> warnings = new ArrayList<>();

    /** Reads the section header whose type field (the file's magic) was read, then up to the first IDB. */
    PcapNgFormat(CaptureInput in) throws IOException {
        this.in = in;
        readSectionHeader(0, in.read(4, "section header", 0), true);
        while (ifaces.isEmpty()) {
            Block b = nextBlock();
            if (b == null) {
                throw new CaptureFileException(in.offset(), "no interface description block in the file");
            }
            if (b.type == PB || b.type == SPB || b.type == EPB) {
                throw b.body.error("packet block before any interface description block");
            }
            handleNonPacket(b);
        }
        firstLinkType = ifaces.get(0).linkType();
    }

    @Override
    public int firstLinkType() {
        return firstLinkType;
    }

    @Override
    public CapturedPacket next() throws IOException {
        for (Block b; (b = nextBlock()) != null; ) {
            switch (b.type) {
                case EPB -> {
                    return enhancedPacket(b.body);
                }
                case SPB -> {
                    return simplePacket(b.body);
                }
                case PB -> {
                    return obsoletePacket(b.body);
                }
                default -> handleNonPacket(b);
            }
        }
        return null;
    }

    @Override
    public List<CaptureWarning> takeWarnings() {
        List<CaptureWarning> w = List.copyOf(warnings);
        warnings.clear();
        return w;
    }

    private void handleNonPacket(Block b) throws CaptureFileException {
        if (b.type == IDB) {
            PcapNgInterface f = PcapNgInterface.read(b.body);
            warnAbout(f, b.body.at());
            ifaces.add(f);
            blockMax = Math.max(blockMax, 8 + 20 + (long) LinkType.maxSnaplen(f.linkType()) + 131072 + 4);
        }
        // SHBs are handled while framing; NRB, ISB, DSB, custom blocks: nothing wiretop needs
    }

    /**
     * pcapng lets interfaces differ in link type and snapshot length; libpcap, hence tcpdump, refuses
     * such files, and wiretop reads them with a word of warning. A link type wiretop does not
     * decode is said once.
     */
    private void warnAbout(PcapNgInterface f, long at) {
        if (first == null) {
            first = f;
        } else if (f.linkType() != first.linkType()) {
            warnings.add(new CaptureWarning(at, "interface " + ifaces.size() + " has link type " + f.linkType()
                    + ", the first interface " + first.linkType() + " (tcpdump refuses such files)"));
        } else if (f.declaredSnaplen() != first.declaredSnaplen()) {
            warnings.add(new CaptureWarning(at, "interface " + ifaces.size() + " has snapshot length "
                    + f.declaredSnaplen() + ", the first interface " + first.declaredSnaplen()
                    + " (tcpdump refuses such files)"));
        }
        if (!LinkType.decoded(f.linkType()) && undecodedWarned.add(f.linkType())) {
            warnings.add(new CaptureWarning(at, "link type " + f.linkType()
                    + " is not decoded: packets are shown undecoded"));
        }
    }

    private record Block(int type, BlockCursor body) {
    }

    /** The next block other than a section header, framed and checked; null at a clean end of file. */
    private Block nextBlock() throws IOException {
        while (true) {
            long at = in.offset();
            byte[] head = in.readOrEnd(8, "block header", at);
            if (head == null) {
                return null;
            }
            if (ByteBuffer.wrap(head).getInt() == SHB) {
                readSectionHeader(at, java.util.Arrays.copyOfRange(head, 4, 8), false);
                continue;
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(order);
            int type = h.getInt();
            long total = h.getInt() & 0xffffffffL;
            String name = blockName(type);
            byte[] body = readRest(at, name, total, 12, blockMax, 8);
            return new Block(type, new BlockCursor(body, body.length - 4, order, at, name));
        }
    }

    /**
     * A section header: its byte-order magic sets the order of everything up to the next one, and
     * interface numbers start again from 0.
     */
    private void readSectionHeader(long at, byte[] length, boolean first) throws IOException {
        byte[] bom = in.read(4, "section header", at);
        int bomBig = ByteBuffer.wrap(bom).getInt();
        if (bomBig == BYTE_ORDER_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(bomBig) == BYTE_ORDER_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new CaptureFileException(at, String.format(
                    "section header byte-order magic 0x%08x is neither 0x1a2b3c4d nor its byte swap", bomBig));
        }
        long total = ByteBuffer.wrap(length).order(order).getInt() & 0xffffffffL;
        byte[] body = readRest(at, "section header", total, 28, SHB_MAX, 12);
        BlockCursor c = new BlockCursor(body, body.length - 4, order, at, "section header");
        int major = c.u16("major version"), minor = c.u16("minor version");
        // tcpdump reads 1.0 and 1.2 (1.2 adds block types only); later sections need major 1
        if (major != 1 || (first && minor != 0 && minor != 2)) {
            throw c.error("pcapng version " + major + "." + minor + " is not supported (1.0 and 1.2 are)");
        }
        ifaces.clear();
    }

    /**
     * Checks a block's length and reads the rest of it ({@code consumed} bytes of it already read);
     * the returned bytes end with the 4-byte trailing length, which must equal {@code total}.
     */
    private byte[] readRest(long at, String name, long total, long min, long max, int consumed) throws IOException {
        if (total < min) {
            throw new CaptureFileException(at, name + " length " + total + " is below the minimum " + min);
        }
        if (total % 4 != 0) {
            throw new CaptureFileException(at, name + " length " + total + " is not a multiple of 4");
        }
        if (total > max) {
            throw new CaptureFileException(at, name + " length " + total + " exceeds the maximum " + max);
        }
        byte[] rest = in.read((int) total - consumed, name + " of " + total + " bytes", at);
        long trailer = ByteBuffer.wrap(rest, rest.length - 4, 4).order(order).getInt() & 0xffffffffL;
        if (trailer != total) {
            throw new CaptureFileException(at, name + " length " + total + " in its header but " + trailer
                    + " in its trailer");
        }
        return rest;
    }

    private static String blockName(int type) {
        return switch (type) {
            case IDB -> "interface description block";
            case PB -> "packet block";
            case SPB -> "simple packet block";
            case EPB -> "enhanced packet block";
            default -> String.format("block of type 0x%08x", type);
        };
    }

    private PcapNgInterface iface(long id, BlockCursor c) throws CaptureFileException {
        if (id >= ifaces.size()) {
            throw c.error("interface " + id + " is not declared in this section (" + ifaces.size()
                    + (ifaces.size() == 1 ? " interface is)" : " interfaces are)"));
        }
        return ifaces.get((int) id);
    }

    private CapturedPacket enhancedPacket(BlockCursor c) throws CaptureFileException {
        long ifId = c.u32("interface id");
        long ts = (c.u32("time stamp") << 32) | c.u32("time stamp");
        return packet(c, iface(ifId, c), ts, c.u32("captured length"), c.u32("original length"), true);
    }

    private CapturedPacket obsoletePacket(BlockCursor c) throws CaptureFileException {
        int ifId = c.u16("interface id");
        c.u16("drops count");
        long ts = (c.u32("time stamp") << 32) | c.u32("time stamp");
        return packet(c, iface(ifId, c), ts, c.u32("captured length"), c.u32("original length"), true);
    }

    private CapturedPacket simplePacket(BlockCursor c) throws CaptureFileException {
        PcapNgInterface f = iface(0, c);
        long len = c.u32("original length");
        // an SPB has no captured length: the packet, cut to the interface's snapshot length
        CapturedPacket p = packet(c, f, 0, Math.min(len, f.snaplen()), len, false);
        return new CapturedPacket(0, p.ifName(), p.linkType(), p.data(), p.origLen(), Direction.UNKNOWN,
                ProcessContext.NONE, List.of());
    }

    private CapturedPacket packet(BlockCursor c, PcapNgInterface f, long ts, long caplen, long len,
                                  boolean hasOptions) throws CaptureFileException {
        if (caplen > f.snaplen()) {
            throw c.error("captured length " + caplen + " exceeds the interface's snapshot length " + f.snaplen());
        }
        byte[] data = c.bytes((int) caplen, "packet data");
        List<String> comments = new ArrayList<>();
        Direction dir = Direction.UNKNOWN;
        if (hasOptions && c.remaining() >= ((4 - caplen % 4) % 4)) {
            c.skip((int) ((4 - caplen % 4) % 4), "padding");
            dir = readPacketOptions(c, comments);
        }
        int origLen = (int) Math.min(len, Integer.MAX_VALUE);
        return new CapturedPacket(f.toNanos(ts), f.name(), f.linkType(), data, origLen, dir,
                ProcessContext.fromComments(comments), List.copyOf(comments));
    }

    /**
     * Comments and epb_flags. Like libpcap, which does not read packet options, a malformed option
     * list does not reject the packet: reading stops at the first option that does not fit.
     */
    private Direction readPacketOptions(BlockCursor c, List<String> comments) throws CaptureFileException {
        Direction dir = Direction.UNKNOWN;
        while (c.remaining() >= 4) {
            int code = c.u16("option code"), len = c.u16("option length");
            int padded = (len + 3) & ~3;
            if (code == 0 || padded > c.remaining()) {
                break;
            }
            byte[] v = c.bytes(len, "option value");
            c.skip(padded - len, "option padding");
            if (code == OPT_COMMENT) {
                comments.add(new String(v, StandardCharsets.UTF_8));
            } else if (code == OPT_EPB_FLAGS && len == 4) {
                dir = Direction.fromEpbFlags(ByteBuffer.wrap(v).order(c.order()).getInt());
            }
        }
        return dir;
    }
}
