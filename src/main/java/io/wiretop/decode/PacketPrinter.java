// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import io.wiretop.text.SafeText;

import java.time.ZoneId;
import java.util.List;

/**
 * Renders captured packets as text: tcpdump's line for packets without process context, ptcpdump's
 * line ({@code ts ifname comm.pid In|Out decode, Thread [..], ParentProc [..]}) for packets with it,
 * the -v context blocks and the -A / -X payload dumps. Text from processes and the wire (names,
 * arguments, DNS names, HTTP lines, interface names) is escaped piece by piece with {@link SafeText}
 * (the line breaks of -v, -A and -X are ours); -A / -X show payload bytes tcpdump's way, '.' for
 * anything but printable ASCII (and, with -A, tab and newline). Holds a {@link TcpdumpFormatter}, so one
 * instance per packet stream, confined to one thread.
 */
public final class PacketPrinter {
    /** Rendering switches, mirroring tcpdump's -v, -X, -A and -S. */
    public record Options(boolean verbose, boolean hexAscii, boolean ascii, boolean absoluteSeq, ZoneId zone) {
        public static Options defaults() {
            return new Options(false, false, false, false, ZoneId.systemDefault());
        }
    }

    private final Options opts;
    private final TcpdumpFormatter fmt;

    public PacketPrinter(Options opts) {
        this.opts = opts;
        this.fmt = new TcpdumpFormatter(opts.verbose(), opts.absoluteSeq());
    }

    /**
     * The full text for one packet, without a trailing newline (may span lines with -v, -A, -X). A
     * packet the decoder cannot handle gets a line saying so: one odd packet never ends a capture
     * or a file's reading.
     */
    public String format(CapturedPacket p) {
        try {
            return formatDecoded(p);
        } catch (RuntimeException e) {
            return SafeText.escape(p.ifName()) + " " + p.direction().word + " [packet of " + p.origLen() + " bytes not decoded: " + e + "]";
        }
    }

    private String formatDecoded(CapturedPacket p) {
        DecodedPacket d = p.decode();
        StringBuilder s = new StringBuilder(TcpdumpFormatter.timestamp(p.tsNanos(), opts.zone())).append(' ');
        boolean ptcp = !p.ifName().isEmpty() || p.direction() != Direction.UNKNOWN || p.context().known();
        if (ptcp) {
            s.append(p.ifName().isEmpty() ? "?" : SafeText.escape(p.ifName())).append(' ');
            if (p.context().known() && !opts.verbose()) {
                s.append(SafeText.escape(p.context().comm())).append('.').append(p.context().pid()).append(' ');
            }
            s.append(p.direction().word).append(' ');
        }
        List<String> decoded = fmt.lines(d);
        for (int i = 0; i < decoded.size(); i++) {
            s.append(i == 0 ? "" : "\n    ").append(SafeText.escape(decoded.get(i)));
        }
        if (opts.verbose()) {
            for (String line : p.context().verboseLines()) {
                s.append("\n    ").append(SafeText.escape(line));
            }
        } else {
            s.append(SafeText.escape(p.context().lineSuffix()));
        }
        int net = d.networkOffset();
        if (opts.hexAscii()) {
            s.append(HexDump.hexAscii(p.data(), net, p.data().length - net));
        } else if (opts.ascii()) {
            s.append(HexDump.ascii(p.data(), net, p.data().length - net));
        }
        return s.toString();
    }
}
