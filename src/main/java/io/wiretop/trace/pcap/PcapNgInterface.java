// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.LinkType;
import io.wiretop.trace.CaptureFileException;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One pcapng Interface Description Block: link type, snapshot length, name and the time-stamp
 * resolution and offset its packets' times are read with. Options are checked as strictly as
 * libpcap checks them (an option running past the block, a second or badly sized if_tsresol or
 * if_tsoffset are errors), so a file tcpdump refuses is not read here as if it were sound.
 *
 * @param snaplen        the snapshot length packets are held to: as declared, or the link type's
 *                       maximum when declared 0 or above it
 * @param declaredSnaplen the snapshot length as the block gives it
 * @param unitsPerSecond time-stamp units per second, an unsigned value (10^19 does not fit a long)
 * @param offsetSeconds  if_tsoffset, added to every time stamp
 */
record PcapNgInterface(String name, int linkType, int snaplen, long declaredSnaplen, long unitsPerSecond,
                       long offsetSeconds) {
    private static final int OPT_END = 0, IF_NAME = 2, IF_TSRESOL = 9, IF_TSOFFSET = 14;
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);

    static PcapNgInterface read(BlockCursor c) throws CaptureFileException {
        int linkType = c.u16("link type");
        c.u16("reserved field");
        long snaplen = c.u32("snapshot length");
        String name = "";
        Long units = null;
        Long offset = null;
        while (c.remaining() != 0) {
            int code = c.u16("option code");
            int len = c.u16("option length");
            int padded = (len + 3) & ~3;
            if (padded > c.remaining()) {
                throw c.error("option " + code + " of " + len + " bytes runs past the end of the block");
            }
            byte[] value = c.bytes(len, "option value");
            c.skip(padded - len, "option padding");
            if (code == OPT_END) {
                if (len != 0) {
                    throw c.error("end-of-options option has length " + len + " instead of 0");
                }
                break;
            } else if (code == IF_NAME) {
                name = new String(value, StandardCharsets.UTF_8);
            } else if (code == IF_TSRESOL) {
                if (len != 1 || units != null) {
                    throw c.error(units != null ? "more than one if_tsresol option" : "if_tsresol option has length " + len + " instead of 1");
                }
                units = resolution(value[0] & 0xff, c);
            } else if (code == IF_TSOFFSET) {
                if (len != 8 || offset != null) {
                    throw c.error(offset != null ? "more than one if_tsoffset option" : "if_tsoffset option has length " + len + " instead of 8");
                }
                offset = ByteBuffer.wrap(value).order(c.order()).getLong();
            }
        }
        int max = LinkType.maxSnaplen(linkType);
        // as libpcap: 0 or more than the link type allows means "the link type's maximum"
        int snap = snaplen == 0 || snaplen > max ? max : (int) snaplen;
        return new PcapNgInterface(name, linkType, snap, snaplen, units == null ? 1_000_000L : units, offset == null ? 0 : offset);
    }

    /** Units per second for an if_tsresol byte: 10^-r, or 2^-(r & 0x7f) when the top bit is set. */
    private static long resolution(int r, BlockCursor c) throws CaptureFileException {
        if ((r & 0x80) != 0) {
            int shift = r & 0x7f;
            if (shift > 63) {
                throw c.error("if_tsresol 2^-" + shift + " is finer than 64 bits can count");
            }
            return 1L << shift; // 2^63 is read as unsigned below
        }
        if (r > 19) {
            throw c.error("if_tsresol 10^-" + r + " is finer than 64 bits can count");
        }
        return BigInteger.TEN.pow(r).longValue(); // 10^19 wraps into the sign bit: read as unsigned
    }

    /** A time stamp in this interface's units as nanoseconds since the epoch. */
    long toNanos(long ts) {
        long sec = Long.divideUnsigned(ts, unitsPerSecond);
        long frac = Long.remainderUnsigned(ts, unitsPerSecond);
        long fracNanos;
        if (unitsPerSecond > 0 && unitsPerSecond <= 1_000_000_000L && 1_000_000_000L % unitsPerSecond == 0) {
            fracNanos = frac * (1_000_000_000L / unitsPerSecond);
        } else {
            fracNanos = new BigInteger(Long.toUnsignedString(frac)).multiply(NANOS)
                    .divide(new BigInteger(Long.toUnsignedString(unitsPerSecond))).longValue();
        }
        return (sec + offsetSeconds) * 1_000_000_000L + fracNanos;
    }
}
