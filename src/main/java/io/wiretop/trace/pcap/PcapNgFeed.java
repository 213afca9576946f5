// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.model.Cleanup;
import io.wiretop.model.InfoSource;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.trace.TraceFiles;
import io.wiretop.trace.TraceTime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replays a packet file, pcapng (wiretop's own from {@code wiretop capture -w}, ptcpdump's) or
 * classic pcap, in trace time: the Processes, Connections and Packets views of the processes its
 * packet comments name ({@link PacketFold}), WIRE from the packets' lengths. NET stays null: a
 * packet file holds what crossed the wire, not what the processes read and wrote on their
 * sockets (retransmissions, headers, packets of another host on the same link), and deriving it
 * from TCP payload lengths would pass a guess off as a count. A classic pcap file has no process
 * context: every packet is shown under pid 0 (unattributed), with its connections.
 *
 * <p>Intervals are {@code intervalNanos} of trace time from the first packet (0: one interval over
 * the whole file); a stretch without packets is one empty interval. The label is
 * {@code <file> (<N> pkts, <duration>s)}, counted by a first pass over the file. A file damaged
 * before its first packet is refused by {@link #open}; one damaged later gives the intervals of
 * the packets before the damage, then {@link #next} throws the {@link CaptureFileException}
 * (offset and reason) once, then returns null.
 */
public final class PcapNgFeed implements Feed {
    private final Path file;
    private final long intervalNanos;
    private final PcapReader reader;
    private final String label;
    private final long firstNanos, lastNanos;
    private final PacketFold fold = new PacketFold();
    private final PacketHistory history = new PacketHistory();
    private CapturedPacket pending; // read, but in a later interval
    private CaptureFileException damage;
    private boolean atEnd, done;
    private long end;
    private volatile boolean closed;

    private PcapNgFeed(Path file, long intervalNanos, Summary s) throws IOException {
        this.file = file;
        this.intervalNanos = intervalNanos;
        this.firstNanos = s.first;
        this.lastNanos = Math.max(s.first, s.last);
        this.label = String.format(Locale.ROOT, "%s (%d pkts, %.2fs)", file, s.packets,
                (lastNanos - firstNanos) / 1e9);
        this.reader = reader(file);
    }

    /**
     * Opens a packet file for replay. A file that cannot be opened or read at all (missing, a
     * directory, unreadable, empty, not a capture) is a {@link CaptureFileException} here; damage
     * after the first packets comes from {@link #next}, after them.
     *
     * @param intervalNanos trace time per interval, 0 for one interval over the whole file
     */
    public static PcapNgFeed open(Path file, long intervalNanos) throws IOException {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("negative interval");
        }
        return new PcapNgFeed(file, intervalNanos, Summary.of(file));
    }

    /** Packets and trace time of the readable part of a file (the replay reports the damage). */
    private record Summary(long packets, long first, long last) {
        static Summary of(Path file) throws IOException {
            long n = 0, first = 0, last = 0;
            try (PcapReader r = reader(file)) {
                for (CapturedPacket p; (p = r.next()) != null; n++) {
                    if (n == 0) {
                        first = p.tsNanos();
                    }
                    last = Math.max(last, p.tsNanos());
                }
            } catch (CaptureFileException e) {
                if (n == 0) {
                    throw e; // not a capture, or damaged before its first packet: refused at once
                }
            }
            return new Summary(n, first, last);
        }
    }

    /** A reader on the file; the file is closed again when its header is refused. */
    private static PcapReader reader(Path file) throws IOException {
        InputStream in = TraceFiles.open(file);
        try {
            return new PcapReader(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public InfoSource info() {
        return fold;
    }

    @Override
    public boolean net() {
        return false;
    }

    @Override
    public boolean fileIo() {
        return false;
    }

    @Override
    public boolean wire() {
        return true;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Set<String> availableSources() {
        return Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.PACKETS);
    }

    @Override
    public FeedStart start() {
        end = intervalNanos == 0 ? lastNanos : TraceTime.plus(firstNanos, intervalNanos);
        KernelSample zero = new KernelSample(List.of(), List.of(), List.of(), Losses.NONE);
        return new FeedStart(null, firstNanos, zero, fold.scan(), end);
    }

    @Override
    public Interval next(Demand demand) throws IOException {
        if (damage != null) {
            CaptureFileException e = damage;
            damage = null;
            done = true;
            throw e;
        }
        if (done || closed) {
            return null;
        }
        history.select(demand == null ? null : demand.packets());
        long intervalEnd = end;
        while (true) {
            CapturedPacket p = pending != null ? pending : read();
            pending = null;
            if (p == null) {
                break;
            }
            // an interval ending at the end of time takes every packet left (a forged timestamp)
            if (intervalNanos > 0 && intervalEnd != Long.MAX_VALUE && p.tsNanos() >= intervalEnd) {
                pending = p;
                break;
            }
            PacketFold.Placed at = fold.add(p);
            history.add(p, at.pid(), at.cookie());
        }
        if (atEnd && (demand == null || demand.packets().none())) {
            // the last interval: nothing will ask the feed again, so a Packets view opened after
            // the end (a drill-down into a process or connection) filters the newest packets it holds
            history.select(PacketSelection.ALL);
        }
        if (atEnd && damage == null) {
            done = true;
        }
        end = nextEnd(intervalEnd);
        return new Interval(List.of(), intervalEnd, fold.sample(), List.of(), fold.scan(), List.of());
    }

    /** The end of the interval after the one ending at {@code e} ({@link TraceTime#nextEnd}). */
    private long nextEnd(long e) {
        return intervalNanos == 0 ? e : TraceTime.nextEnd(e, firstNanos, intervalNanos,
                pending == null ? null : pending.tsNanos());
    }

    /** The next packet; null at the end or at damage (kept for the next call). */
    private CapturedPacket read() throws IOException {
        if (atEnd) {
            return null;
        }
        try {
            CapturedPacket p = reader.next();
            atEnd = p == null;
            return p;
        } catch (CaptureFileException e) {
            atEnd = true;
            damage = e;
            return null;
        } catch (IOException e) {
            if (closed) {
                atEnd = true;
                return null;
            }
            throw e;
        }
    }

    @Override
    public void apply(Cleanup cleanup) {
        fold.forget(cleanup);
    }

    @Override
    public Map<String, List<? extends Row>> extraSources() {
        return Map.of(Snapshot.PACKETS, history.rows());
    }

    /** The file being replayed. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.close();
        } catch (IOException e) {
            // nothing was written: nothing is lost
        }
    }
}
