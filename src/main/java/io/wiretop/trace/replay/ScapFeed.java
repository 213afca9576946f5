// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.model.InfoSource;
import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.trace.TraceTime;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;
import io.wiretop.trace.scap.ScapTail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replays a .scap capture as a {@link Feed}: the events fold into the tables libsinsp keeps
 * ({@link ReplayState}) and into the inputs the live kernel gives the aggregator (cumulative
 * counters, process events, a /proc-like scan per interval), so replay and live share one
 * aggregation. Time is the trace's: the first interval starts at the first event, each lasts
 * {@code intervalNanos} of trace time; 0 makes one interval of the whole file (first to last
 * event), which is csysdig's file mode: every rate is then an average over the capture.
 * <p>A file damaged after some good events gives the intervals holding them, then the
 * {@link CaptureFileException} on the following {@link #next}. Names, command lines, users and
 * file paths come from the trace, never from this machine.
 */
public final class ScapFeed implements Feed {
    private final Path file;
    private final long intervalNanos;
    private final ScapReader reader;
    /** The shortest whole-file interval: see {@link #start()}. */
    private static final long WHOLE_FILE_MIN = 1_000_000_000L;
    private final long firstTs;
    private final long lastTs;
    /**
     * The earliest and latest event timestamps met so far: events are not always in time order (a
     * ring buffer shared by CPUs commits some microseconds out of order), and the file's duration is
     * its earliest to its latest event, not its first to its last (csysdig's get_time_delta).
     */
    private long minTs = Long.MAX_VALUE, maxTs = Long.MIN_VALUE;
    /** Events read so far (folded, and the newer ids the reader skipped once the end is reached). */
    private long read;
    /** Read per frame by the screen's thread while this one replays. */
    private volatile String label;
    private volatile long events = -1;
    private final ReplayCounters counters = new ReplayCounters();
    private final ReplayState state;
    private ScapEvent held;
    /** The reader's section count when {@link #held} was read, and the count the state has loaded. */
    private int heldSection, loadedSections = 1;
    private long intervalEnd;
    private CaptureFileException pending;
    private boolean ended;

    private ScapFeed(Path file, long intervalNanos) throws IOException {
        this.file = file;
        this.intervalNanos = intervalNanos;
        this.reader = ScapReader.open(file);
        try {
            try {
                ScapEvent e = reader.next();
                if (e != null) {
                    held = e.copy();
                    heldSection = reader.sections();
                    read = 1;
                }
            } catch (CaptureFileException x) {
                pending = x; // reported by the first next(), after start(), as damage later in the file is
            }
            long first = held != null ? held.timestamp() : 0, last = first;
            Extent whole = null;
            if (held != null) {
                last = ScapTail.lastTimestamp(file);
                if (last < 0) {
                    whole = Extent.of(file);
                    last = whole.last;
                    minTs = whole.first;
                    maxTs = whole.last;
                }
            }
            this.firstTs = first;
            this.lastTs = last;
            this.label = file.getFileName() + " (reading...)";
            if (held == null || whole != null) {
                ended(whole != null ? whole.events : reader.skippedNewerEvents());
            }
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        this.state = new ReplayState(reader.section(), firstTs, counters);
    }

    /**
     * Opens a capture for replay. The time range comes from the first event and, for a plain file,
     * the last block, read from the end; a gzip file, or one whose end is not a readable event, is
     * read once first for it (the header shows the range before the first interval ends). A file
     * that cannot be opened at all is a {@link CaptureFileException} at offset 0 (missing, a
     * directory, unreadable: {@link ScapReader#open}).
     *
     * @param intervalNanos trace time per interval; 0 = the whole file in one interval
     */
    public static ScapFeed open(Path file, long intervalNanos) throws IOException {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("interval " + intervalNanos);
        }
        return new ScapFeed(file, intervalNanos);
    }

    /** The event count is known: the label becomes csysdig's. */
    private void ended(long n) {
        events = n;
        label = file.getFileName() + " (" + n + " evts, "
                + String.format(Locale.ROOT, "%.2f", span() / 1e9) + "s)";
    }

    /** The time from the earliest to the latest event seen (the whole file once it has been read). */
    private long span() {
        long lo = Math.min(firstTs, minTs), hi = Math.max(lastTs, maxTs);
        return hi - lo;
    }

    /** Event count and first/last timestamps of the readable part of a file. */
    private record Extent(long events, long first, long last) {
        static Extent of(Path file) throws IOException {
            long n = 0, first = 0, last = 0;
            try (ScapReader r = ScapReader.open(file)) {
                try {
                    for (ScapEvent e; (e = r.next()) != null; ) {
                        // earliest and latest: events are not always in time order
                        first = n++ == 0 ? e.timestamp() : Math.min(first, e.timestamp());
                        last = Math.max(last, e.timestamp());
                    }
                } catch (CaptureFileException e) {
                    // the replay meets the same damage at the same place and reports it then
                }
                n += r.skippedNewerEvents();
            }
            return new Extent(n, first, last);
        }
    }

    /**
     * Event blocks in the file, every kind (procinfo too), as csysdig's header counts them; -1 until
     * known (the replay reached the end of the file or its damage; a gzip file: from the start).
     */
    public long eventCount() {
        return events;
    }

    @Override
    public InfoSource info() {
        return new InfoSource() {
            @Override
            public ProcessInfo read(ProcessId id) {
                return state.info(id);
            }

            @Override
            public String userName(long uid) {
                return state.userName(uid);
            }

            /** The counters give each file an id in place of an fd (fds are reused; paths are what is known). */
            @Override
            public String fdTarget(long pid, int fd) {
                return state.filePath(fd);
            }
        };
    }

    @Override
    public boolean fileIo() {
        return true;
    }

    @Override
    public boolean wire() {
        return false;
    }

    /**
     * {@code curl_google.scap (1536 evts, 8.00s)}, as csysdig's Source line, once the event count is
     * known ({@link #eventCount()}); {@code curl_google.scap (reading...)} until then. Cheap and safe
     * to call from any thread.
     */
    @Override
    public String label() {
        return label;
    }

    @Override
    public Set<String> availableSources() {
        return Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.FILES, Snapshot.SYSCALLS, Snapshot.THREADS);
    }

    @Override
    public FeedStart start() {
        ProcessScan alive = state.scan(true);
        state.drainEvents();
        // the whole file is one interval of at least a second: csysdig divides a file's totals by its
        // duration only when that is over a second (filterchecks.cpp tostring_nice, `if(m_cnt > 1)`),
        // so a shorter file shows totals, i.e. per second of a one-second interval
        intervalEnd = intervalNanos == 0 ? Math.max(lastTs, TraceTime.plus(firstTs, WHOLE_FILE_MIN))
                : Math.min(TraceTime.plus(firstTs, intervalNanos), lastTs);
        return new FeedStart(alive, firstTs, null, alive, intervalEnd);
    }

    @Override
    public Interval next(Demand demand) throws IOException {
        if (pending != null) {
            CaptureFileException e = pending;
            pending = null;
            ended = true;
            throw e;
        }
        if (ended) {
            return null;
        }
        long last = -1;
        boolean eof = false;
        while (true) {
            ScapEvent e;
            int section;
            if (held != null) {
                e = held;
                section = heldSection;
                held = null;
            } else {
                try {
                    e = reader.next();
                } catch (CaptureFileException x) {
                    pending = x;
                    break;
                }
                section = reader.sections();
                if (e != null) {
                    read++;
                }
            }
            if (e == null) {
                eof = true;
                break;
            }
            if (intervalNanos > 0 && intervalEnd < lastTs && e.timestamp() >= intervalEnd) {
                held = e.copy();
                heldSection = section;
                break;
            }
            if (section != loadedSections) {
                loadedSections = section;
                state.newSection(reader.section(), e.timestamp());
            }
            state.fold(e);
            last = e.timestamp();
            if (last < minTs) {
                minTs = last;
            }
            if (last > maxTs) {
                maxTs = last;
            }
        }
        if ((pending != null || eof) && events < 0) {
            ended(read + reader.skippedNewerEvents());
        }
        long end = intervalEnd;
        if (pending != null) {
            if (last < 0) {
                return next(demand); // nothing good in this interval: report the damage now
            }
            end = Math.min(intervalEnd, last);
        } else if (eof) {
            ended = true;
            // the whole file in one interval: as long as its earliest to latest event, whatever their order
            end = intervalNanos == 0 ? TraceTime.plus(firstTs, Math.max(span(), WHOLE_FILE_MIN))
                    : Math.max(end, maxTs);
        }
        Interval iv = interval(end, demand);
        // a stretch without events is one interval: a garbled timestamp must not make billions
        intervalEnd = intervalNanos == 0 ? lastTs : Math.min(TraceTime.nextEnd(intervalEnd, firstTs, intervalNanos,
                held == null ? null : held.timestamp()), lastTs);
        return iv;
    }

    private Interval interval(long end, Demand demand) {
        KernelSample sample = counters.sample();
        Set<ProcessId> gone = state.exitedIds();
        boolean threads = demand != null && demand.sources().contains(Snapshot.THREADS);
        ProcessScan scan = state.scan(threads);
        List<Long> closed = counters.closedCookies();
        counters.forget(gone);
        return new Interval(state.drainEvents(), end, sample, List.of(), scan, closed);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
