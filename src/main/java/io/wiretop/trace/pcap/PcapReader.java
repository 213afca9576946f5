// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.trace.CaptureFileException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads classic pcap (micro- or nanosecond, either byte order) and PcapNG (any byte order, several
 * sections, IDBs with if_tsresol, EPB/SPB/PB with comments and epb_flags), so files from tcpdump,
 * Wireshark, ptcpdump and wiretop itself read back with their process context.
 * <p>A damaged file is read up to the damage, then {@link #next()} throws a
 * {@link CaptureFileException} saying at which offset and why; it never ends early without one,
 * and every file tcpdump refuses is refused here too (CorruptCaptureParityTest compares them).
 * Not thread-safe.
 */
public final class PcapReader implements Closeable {
    private final CaptureInput in;
    private final CaptureFormat format;

    /** Opens a stream and reads its file header; a {@link CaptureFileException} when it is neither pcap nor pcapng. */
    public PcapReader(InputStream stream) throws IOException {
        in = new CaptureInput(stream);
        byte[] magic = in.readOrEnd(4, "file header", 0);
        if (magic == null) {
            throw new CaptureFileException(0, "empty file: not a pcap or pcapng capture");
        }
        int be = ByteBuffer.wrap(magic).getInt();
        int le = Integer.reverseBytes(be);
        if (be == PcapNgFormat.SHB) {
            format = new PcapNgFormat(in);
        } else if (le == ClassicPcapFormat.MICROS || le == ClassicPcapFormat.NANOS) {
            format = new ClassicPcapFormat(in, ByteOrder.LITTLE_ENDIAN, le == ClassicPcapFormat.NANOS);
        } else if (be == ClassicPcapFormat.MICROS || be == ClassicPcapFormat.NANOS) {
            format = new ClassicPcapFormat(in, ByteOrder.BIG_ENDIAN, be == ClassicPcapFormat.NANOS);
        } else {
            throw new CaptureFileException(0, String.format(
                    "unknown file format (magic 0x%08x): not a pcap or pcapng capture", be));
        }
    }

    /** Link type of the first interface (classic pcap: the file's). */
    public int firstLinkType() {
        return format.firstLinkType();
    }

    /** The next packet, or null at the end of the file; a {@link CaptureFileException} where it is damaged. */
    public CapturedPacket next() throws IOException {
        return format.next();
    }

    /**
     * What the file holds that wiretop reads but the user should hear of (see {@link CaptureWarning}),
     * found since the last call: call it after the constructor and after each {@link #next()}.
     */
    public List<CaptureWarning> takeWarnings() {
        return format.takeWarnings();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
