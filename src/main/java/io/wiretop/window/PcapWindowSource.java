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
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a selection in a replayed packet capture (pcapng, pcap): a file of packets holds no
 * syscalls, so a window on a connection shows that connection's packets ({@link PacketLine}) and
 * nothing else; Echo and the spectrogram, which need syscalls, stay empty. A daemon thread reads
 * the file again from its start and hands the packets over in batches, at most
 * {@link ScapWindowSource#MAX_EVENTS}, as {@link ScapWindowSource} does.
 */
public final class PcapWindowSource implements EventWindowSource {
    private final BatchHandOver out = new BatchHandOver(ScapWindowSource.MAX_EVENTS);
    private final java.lang.Thread thread;
    private volatile boolean stop;

    private PcapWindowSource(Path file, WindowSelection selection, ZoneId zone) {
        thread = new java.lang.Thread(() -> run(file, selection, zone), "wiretop-window-pcap");
        thread.setDaemon(true);
    }

    /** Starts reading {@code file} for {@code selection}, times in {@code zone}. */
    public static PcapWindowSource start(Path file, WindowSelection selection, ZoneId zone) {
        PcapWindowSource s = new PcapWindowSource(file, selection, zone);
        s.thread.start();
        return s;
    }

    private void run(Path file, WindowSelection selection, ZoneId zone) {
        try (PcapReader r = new PcapReader(new BufferedInputStream(TraceFiles.open(file)))) {
            PacketLine lines = new PacketLine(selection, zone);
            TcpdumpFormatter formatter = new TcpdumpFormatter(false, false);
            List<WindowEvent> batch = new ArrayList<>();
            long seq = 0, kept = 0;
            CapturedPacket p;
            while (!stop && (p = r.next()) != null && kept < ScapWindowSource.MAX_EVENTS) {
                seq++;
                if (!selection.isConnection()) {
                    continue; // only a connection's packets are Dig's
                }
                List<WindowEvent> got = lines.take(List.of(PacketRow.of(seq, p, p.cookie(), formatter, zone)));
                batch.addAll(got);
                kept += got.size();
                if (batch.size() >= ScapWindowSource.BATCH) {
                    out.offer(batch);
                    batch.clear();
                }
            }
            out.offer(batch);
            out.finish(null);
        } catch (IOException | RuntimeException ex) {
            out.finish(ex);
        }
    }

    @Override
    public List<List<WindowEvent>> drain() {
        return out.drain();
    }

    @Override
    public boolean finished() {
        return out.finished();
    }

    @Override
    public String failure() {
        return out.failure();
    }

    /** Waits until the file is read (tests). */
    public void await(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
