// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Classic pcap records (micro- or nanosecond time stamps, either byte order), checked as libpcap
 * checks them: a record header or packet cut short, or a captured length beyond what the link
 * type allows, ends the reading with an error at the record's offset.
 */
final class ClassicPcapFormat implements CaptureFormat {
    static final int MICROS = 0xa1b2c3d4, NANOS = 0xa1b23c4d;

    private final CaptureInput in;
    private final ByteOrder order;
    private final boolean nanos;
    private final int linkType;
    private final int snaplen;
    private final int maxCaplen;
    private final List<CaptureWarning> warnings = new java.util.ArrayList<>();

    /** Reads the rest of the 24-byte file header after its magic, which gave the byte order and precision. */
    ClassicPcapFormat(CaptureInput in, ByteOrder order, boolean nanos) throws IOException {
        this.in = in;
        this.order = order;
        this.nanos = nanos;
        BlockCursor h = new BlockCursor(in.read(20, "pcap file header", 0), 20, order, 0, "pcap file header");
        int major = h.u16("major version"), minor = h.u16("minor version");
        if (major < 2) {
            throw h.error("pcap version " + major + "." + minor + " is too old to read");
        }
        h.skip(8, "time zone and accuracy");
        long snap = h.u32("snapshot length");
        linkType = (int) (h.u32("link type") & 0x03ff_ffff); // the top bits describe the FCS, not the link
        maxCaplen = LinkType.maxSnaplen(linkType);
        snaplen = snap == 0 || snap > maxCaplen ? maxCaplen : (int) snap;
        if (!LinkType.decoded(linkType)) {
            warnings.add(new CaptureWarning(0, "link type " + linkType + " is not decoded: packets are shown undecoded"));
        }
    }

    @Override
    public List<CaptureWarning> takeWarnings() {
        List<CaptureWarning> w = List.copyOf(warnings);
        warnings.clear();
        return w;
    }

    @Override
    public int firstLinkType() {
        return linkType;
    }

    @Override
    public CapturedPacket next() throws IOException {
        long at = in.offset();
        byte[] head = in.readOrEnd(16, "packet record header", at);
        if (head == null) {
            return null;
        }
        BlockCursor h = new BlockCursor(head, 16, order, at, "packet record");
        long sec = h.u32("seconds"), frac = h.u32("fraction");
        long caplen = h.u32("captured length"), len = h.u32("original length");
        if (caplen > maxCaplen) {
            throw h.error("captured length " + caplen + " exceeds the maximum " + maxCaplen + " for link type "
                    + linkType);
        }
        byte[] data = in.read((int) caplen, "packet record of " + caplen + " captured bytes", at);
        if (data.length > snaplen) {
            // as libpcap: a record longer than the file's snapshot length is cut to it, not refused
            data = java.util.Arrays.copyOf(data, snaplen);
        }
        long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
        return new CapturedPacket(ts, "", linkType, data, (int) Math.min(len, Integer.MAX_VALUE), Direction.UNKNOWN,
                ProcessContext.NONE, List.of());
    }
}
