// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.TcpdumpFormatter;
import io.wiretop.model.PacketRow;
import io.wiretop.trace.TraceFiles;
import io.wiretop.trace.pcap.PcapReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * The events of a selection in a replayed packet capture (pcapng, pcap): a file of packets holds no
 * syscalls, so a window on a connection shows that connection's packets ({@link PacketLine}) and
 * nothing else; Echo and the spectrogram, which need syscalls, stay empty. Read again on a
 * {@link FileWindowSource} thread.
 */
public final class PcapWindowSource extends FileWindowSource {
    private final Path file;
    private final WindowSelection selection;
    private final ZoneId zone;

    private PcapWindowSource(Path file, WindowSelection selection, ZoneId zone) {
        super("wiretop-window-pcap");
        this.file = file;
        this.selection = selection;
        this.zone = zone;
    }

    /** Starts reading {@code file} for {@code selection}, times in {@code zone}. */
    public static PcapWindowSource start(Path file, WindowSelection selection, ZoneId zone) {
        PcapWindowSource s = new PcapWindowSource(file, selection, zone);
        s.begin();
        return s;
    }

    @Override
    void read() throws IOException {
        if (!selection.isConnection()) {
            return; // only a connection's packets are Dig's
        }
        try (PcapReader r = new PcapReader(new BufferedInputStream(TraceFiles.open(file)))) {
            PacketLine lines = new PacketLine(selection, zone);
            TcpdumpFormatter formatter = new TcpdumpFormatter(false, false);
            long seq = 0;
            CapturedPacket p;
            while (more() && (p = r.next()) != null) {
                seq++;
                for (WindowEvent w : lines.take(List.of(PacketRow.of(seq, p, p.cookie(), formatter, zone)))) {
                    keep(w);
                }
            }
        }
    }
}
