// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;

import java.io.IOException;

/** The records of one capture file format, after its file header. */
sealed interface CaptureFormat permits ClassicPcapFormat, PcapNgFormat {
    /** Link type of the first interface (classic pcap: the file's). */
    int firstLinkType();

    /** The next packet, or null at a clean end of file. */
    CapturedPacket next() throws IOException;

    /** Warnings found since the last call, oldest first. */
    java.util.List<CaptureWarning> takeWarnings();
}
