// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import io.wiretop.bpf.BpfException;
import io.wiretop.events.EventSink;
import io.wiretop.events.SyscallEvents;
import io.wiretop.sys.OsError;
import io.wiretop.text.SafeText;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Supplier;

/**
 * A recording to .scap, sysdig {@code -w} style, on a thread of its own: owns the syscall event
 * stream it is given and a {@link ScapWriter}; writes the head (machine, interfaces, users,
 * processes and their fds, as {@code head} gives them when each file begins, so each rotated
 * file reads alone), then every event {@code filter} accepts, until {@link #stop()}, -n, or a
 * failure. The state is published as an immutable {@link RecordStatus} after each poll.
 *
 * <p>A failure (disk full, permission denied, the file removed, the stream failing) ends the recording with a
 * one-line {@link RecordStatus#error()}; the file keeps every block written whole before it.
 */
public final class Recorder {
    /** How long one poll waits for events: also how often the status and the file catch up. */
    private static final int POLL_MILLIS = 100;

    /** What to record and where. */
    public record Options(Path file, boolean gzip, RecordLimits limits, EventPredicate filter,
                          io.wiretop.host.ContainerDirectory containers, java.util.function.LongFunction<String> containerOf) {
        public Options {
            filter = filter == null ? EventPredicate.ALL : filter;
            limits = limits == null ? RecordLimits.NONE : limits;
            containers = containers == null ? io.wiretop.host.ContainerDirectory.idsOnly() : containers;
            containerOf = containerOf == null ? io.wiretop.host.ProcFs.system()::fullContainerId : containerOf;
        }

        /** Threads placed in containers by /proc (containerOf: a thread's whole container id, or null). */
        public Options(Path file, boolean gzip, RecordLimits limits, EventPredicate filter,
                       io.wiretop.host.ContainerDirectory containers) {
            this(file, gzip, limits, filter, containers, null);
        }

        /** Containers known by id only (no container events). */
        public Options(Path file, boolean gzip, RecordLimits limits, EventPredicate filter) {
            this(file, gzip, limits, filter, null, null);
        }
    }

    /** Opens the syscall stream, on the recording's thread once the first head is taken. */
    @FunctionalInterface
    public interface Source {
        SyscallEvents open() throws BpfException, IOException;
    }

    /** Creates each file's writer (tests give one whose disk fills). */
    @FunctionalInterface
    interface WriterFactory {
        ScapWriter create(Path file, boolean gzip) throws IOException;
    }

    private final Options options;
    private final WriterFactory writers;
    private final Source source;
    private SyscallEvents events; // set by the recording thread once open
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    private final Supplier<ScapHead> head;
    private final FileNames names;
    private final Thread thread;
    private final EventSink sink = this::event;
    private final LateContainers late;
    private volatile boolean stopRequested;
    private volatile RecordStatus status;

    // owned by the recording thread
    private ScapWriter writer;
    private Path current;
    private int files;
    private long events_;
    private long fileEvents;
    private long fileFirstSecond = -1;
    private long bytesOfClosedFiles;
    private IOException writeFailure;
    /** The identity (device, inode) of the file being written, to notice its removal. */
    private Object fileKey;
    private long lastFileCheck;

    private Recorder(Options options, Source source, Supplier<ScapHead> head, WriterFactory writers) {
        this.options = options;
        this.writers = writers;
        this.source = source;
        this.head = head;
        this.late = new LateContainers(options.containers(), options.containerOf());
        this.names = new FileNames(options.file(), options.limits());
        this.current = names.name(0);
        this.status = new RecordStatus(current, 0, 0, 0, 0, true, null);
        this.thread = new Thread(this::run, "wiretop-record");
        this.thread.setDaemon(true);
    }

    /**
     * Starts recording the stream {@code source} opens (owned from then on, closed at the end) to
     * the file(s) of {@code options}; {@code head} is asked for the machine's state at the start of
     * each file. The first head is taken before the stream is opened, as sysdig scans /proc before
     * it starts capturing: a busy machine's events would fill the ring while /proc is read. Returns
     * at once: {@link #awaitStarted()} waits for the stream and the first head.
     */
    public static Recorder start(Options options, Source source, Supplier<ScapHead> head) {
        return start(options, source, head, ScapWriter::create);
    }

    /** As {@link #start(Options, Source, Supplier)} on a stream already open. */
    public static Recorder start(Options options, SyscallEvents events, Supplier<ScapHead> head) {
        return start(options, () -> events, head, ScapWriter::create);
    }

    static Recorder start(Options options, SyscallEvents events, Supplier<ScapHead> head, WriterFactory writers) {
        return start(options, () -> events, head, writers);
    }

    static Recorder start(Options options, Source source, Supplier<ScapHead> head, WriterFactory writers) {
        Recorder r = new Recorder(options, source, head, writers);
        r.thread.start();
        return r;
    }

    /** The recording as it stands (updated after each poll and at the end). */
    public RecordStatus status() {
        return status;
    }

    /** Ends the recording: the last events written, the file closed, the stream detached. Returns the final status. */
    public RecordStatus stop() {
        stopRequested = true;
        return awaitEnd();
    }

    /**
     * Waits until the stream is open and the first file's head written, or the recording has
     * failed before (no privileges, a file that cannot be created: {@link RecordStatus#error()}).
     */
    public RecordStatus awaitStarted() throws InterruptedException {
        started.await();
        return status;
    }

    /** Waits until the recording ends by itself (-n or a failure) or by {@link #stop()}. */
    public RecordStatus awaitEnd() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the file must still be closed: wait, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    /** Waits at most {@code millis} for the end; true if the recording has ended. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run() {
        String error = null;
        try {
            long firstStamp = epochNanos();
            ScapHead first = head.get();
            try {
                events = source.open();
            } catch (BpfException | IOException e) {
                error = e.getMessage(); // the opener's own words (no privileges, the verifier...)
                return;
            }
            openFile(0, first, firstStamp);
            started.countDown();
            while (!stopRequested && !limitReached()) {
                try {
                    events.poll(POLL_MILLIS, sink);
                } catch (IOException e) {
                    throw new BpfException("cannot read the syscall events: " + OsError.reason(e));
                }
                if (writeFailure != null) {
                    throw writeFailure;
                }
                if (writer.pendingBytes() > 0) {
                    writer.flush(); // on disk within a poll: what the header shows is in the file
                }
                checkFileStillThere();
                publish(true, null);
            }
        } catch (IOException e) {
            error = "cannot write " + SafeText.escape(current.toString()) + ": " + OsError.reason(e);
        } catch (BpfException e) {
            error = "the syscall event stream failed: " + e.getMessage();
        } catch (RuntimeException e) {
            error = "the recording failed: " + e;
        } finally {
            error = closeFile(error);
            publish(false, error); // the lost count read while the stream is still open
            if (events != null) {
                events.close();
            }
            started.countDown();
        }
    }

    /** One event from the stream: filtered, the file rotated if a limit says so, then written. */
    private void event(int cpu, ByteBuffer event) {
        if (writeFailure != null || limitReached() || !options.filter().test(event)) {
            return;
        }
        try {
            long second = event.order(ByteOrder.LITTLE_ENDIAN).getLong(event.position()) / 1_000_000_000L;
            if (mustRotate(second)) {
                closeCurrent();
                long stamp = epochNanos();
                openFile(files, head.get(), stamp);
            }
            if (fileFirstSecond < 0) {
                fileFirstSecond = second;
            }
            int at = event.position();
            late.before(writer, event.getLong(at + 8), event.getLong(at));
            writer.rawEvent(cpu, event);
            events_++;
            fileEvents++;
        } catch (IOException e) {
            writeFailure = e; // the rest of this poll's events are dropped; run() reports it
        }
    }

    private boolean limitReached() {
        long n = options.limits().stopAfter();
        return n > 0 && events_ >= n;
    }

    /** sysdig's order: elapsed time, then size, then the event count of the file. */
    private boolean mustRotate(long second) {
        RecordLimits l = options.limits();
        if (fileEvents == 0) {
            return false; // a file holds at least one event
        }
        if (l.rotateSeconds() > 0 && fileFirstSecond >= 0 && second - fileFirstSecond >= l.rotateSeconds()) {
            return true;
        }
        if (l.rotateBytes() > 0 && sizeNow() > l.rotateBytes()) {
            return true;
        }
        return l.eventsPerFile() > 0 && fileEvents >= l.eventsPerFile();
    }

    /** The current file's size: what is written plus (uncompressed) what waits in the batch. */
    private long sizeNow() {
        return writer.fileBytes() + (options.gzip() ? 0 : writer.pendingBytes());
    }

    /**
     * Once a second: the name still leads to the file being written. Writes to a removed (or
     * replaced) file succeed and vanish with it at close; the recording stops and says so instead.
     */
    private void checkFileStillThere() throws IOException {
        long now = System.nanoTime();
        if (now - lastFileCheck < 1_000_000_000L) {
            return;
        }
        lastFileCheck = now;
        Object key;
        try {
            key = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            key = null;
        }
        if (fileKey != null && !fileKey.equals(key)) {
            throw new IOException("the file was removed or replaced while recording");
        }
    }

    /**
     * Begins file n with head h, taken at {@code stamp} (epoch ns): its procinfo events carry that
     * time, taken before the head (and, for the first file, before the stream opened), so that they
     * are not later than the kernel's events written after them.
     */
    private void openFile(int n, ScapHead h, long stamp) throws IOException {
        current = names.name(n);
        files = n + 1;
        fileEvents = 0;
        fileFirstSecond = -1;
        writer = writers.create(current, options.gzip());
        fileKey = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        lastFileCheck = System.nanoTime();
        ScapHeadBlocks.write(writer, h);
        // the containers' names first: libsinsp reads container events before it imports the threads
        late.newFile(io.wiretop.trace.scap.ScapContainers.write(writer, h.threads(), options.containers(), stamp));
        // a file is read only if it holds an event; these also give csysdig its CPU baseline
        ScapHeadBlocks.cpuTimes(writer, h.threads(), stamp);
        writer.flush();
        publish(true, null);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void closeCurrent() throws IOException {
        ScapWriter w = writer;
        writer = null;
        try {
            w.close();
        } finally {
            account(w);
        }
    }

    /**
     * A closed file's bytes and events into the totals: the events it holds, which after a failed
     * write (disk full) are fewer than were given to it, so that the summary says what the file has.
     */
    private void account(ScapWriter w) {
        bytesOfClosedFiles += w.fileBytes();
        events_ -= fileEvents - w.rawEventsOnDisk();
        fileEvents = w.rawEventsOnDisk();
    }

    /** Closes the file at the end; returns the first error (the one passed in, or the close's). */
    private String closeFile(String error) {
        if (writer == null) {
            return error;
        }
        ScapWriter w = writer;
        try {
            w.close();
        } catch (IOException e) {
            if (error == null) {
                error = "cannot write " + SafeText.escape(current.toString()) + ": " + OsError.reason(e);
            }
        }
        account(w);
        writer = null;
        return error;
    }

    private void publish(boolean running, String error) {
        long lost = 0;
        try {
            for (long l : events == null ? new long[0] : events.lostPerCpu()) {
                lost += l;
            }
        } catch (RuntimeException e) {
            lost = status.lost(); // the stream is closed: its last count stands
        }
        long bytes = bytesOfClosedFiles + (writer != null ? writer.fileBytes() : 0);
        status = new RecordStatus(current, files, events_, bytes, lost, running, error);
    }
}
