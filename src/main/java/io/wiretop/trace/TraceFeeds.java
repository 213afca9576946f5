// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import io.wiretop.engine.Feed;
import io.wiretop.trace.pcap.PcapNgFeed;
import io.wiretop.trace.replay.ScapFeed;
import io.wiretop.trace.scap.ScapReader;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a trace file as a {@link Feed}, by what its first bytes say it is: a .scap capture
 * (sysdig, falco, wiretop record; gzip too, as sysdig -z writes them) or a packet capture (pcapng,
 * pcap). Both .scap and pcapng start with the same section header block (0x0A0D0D0A and the
 * byte-order magic 0x1A2B3C4D); the block after it tells them apart: .scap's block types
 * (machine info 0x201...) are not pcapng's (interface description 1...), and a big-endian
 * section is pcapng's (.scap is little-endian only).
 */
public final class TraceFeeds {
    /** What a trace file holds. */
    enum Format { SCAP, PACKETS }

    private static final int SHB = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** stat(2)'s file type bits and the FIFO type. */
    private static final int S_IFMT = 0170000, S_IFIFO = 0010000;

    private TraceFeeds() {
    }

    /**
     * A feed replaying the file; a {@link CaptureFileException} (offset 0) when it cannot be opened
     * or is no trace at all.
     *
     * @param intervalNanos trace time per interval; 0 = the whole file as one interval (csysdig's
     *                      file mode: rates are totals over the time between the first and last event)
     */
    public static Feed open(Path file, long intervalNanos) throws IOException {
        if (isFifo(file)) {
            // the format is sniffed from the first bytes and the replay may read the file twice (a
            // counting pass, then the replay): a stream would be read from its middle, or wait for a gone writer
            throw new CaptureFileException(0, "a FIFO (pipe), not a regular file: a replay reads the file twice"
                    + " (save the stream to a file first: cat FIFO > x.scap)");
        }
        return formatOf(file) == Format.SCAP ? ScapFeed.open(file, intervalNanos) : PcapNgFeed.open(file, intervalNanos);
    }

    /** Whether the file is a packet capture (pcapng, pcap) rather than a .scap, from its first bytes. */
    public static boolean holdsPackets(Path file) throws IOException {
        return formatOf(file) == Format.PACKETS;
    }

    /** Which reader the file is for, from its first bytes. */
    static Format formatOf(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(TraceFiles.open(file))) {
            byte[] head = in.readNBytes(12);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return Format.SCAP; // gzip: sysdig -z (a gzip pcapng is refused by the packet reader's own rules)
            }
            if (head.length < 12) {
                return head.length >= 4 && le(head, 0) == SHB ? Format.SCAP : Format.PACKETS; // each reader says what is cut
            }
            if (le(head, 0) != SHB) {
                return Format.PACKETS; // classic pcap, or neither: the packet reader names the magic
            }
            if (le(head, 8) != BYTE_ORDER_MAGIC) {
                // big-endian pcapng; or a damaged byte-order magic, which the .scap reader reports
                return Integer.reverseBytes(le(head, 8)) == BYTE_ORDER_MAGIC ? Format.PACKETS : Format.SCAP;
            }
            long length = le(head, 4) & 0xffffffffL;
            if (length < head.length) {
                return Format.SCAP; // too short to frame a section header: the .scap reader says so
            }
            byte[] next;
            try {
                in.skipNBytes(length - head.length);
                next = in.readNBytes(4);
            } catch (EOFException e) {
                return Format.SCAP; // the section header is cut: the .scap reader says where
            }
            if (next.length < 4) {
                return Format.SCAP; // a section header alone: an empty .scap (pcapng needs an interface)
            }
            return ScapReader.isScapBlock(le(next, 0)) ? Format.SCAP : Format.PACKETS;
        }
    }

    /** A stat, not an open: opening a FIFO blocks until someone writes to it. */
    private static boolean isFifo(Path file) {
        try {
            return ((Integer) Files.getAttribute(file, "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // missing, unreadable or no unix view: the open below says what is wrong
        }
    }

    private static int le(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
