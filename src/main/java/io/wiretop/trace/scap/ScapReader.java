// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import io.wiretop.trace.TraceFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a sysdig/falco {@code .scap} capture, plain or gzip, as sysdig 0.29.3 does (every block
 * version it reads: see shared/reference/scap-format.md), plus section headers with pcapng options,
 * which 0.29.3 refuses and libs has skipped since 2025.
 * <p>The constructor reads the first section's state blocks ({@link #section()}); {@link #next()}
 * then returns the events one by one. Concatenated files ({@code cat a.scap b.scap}) read as one:
 * a section header after events starts a new section, whose state replaces the old one.
 * <p>A damaged file is read up to the damage, then a {@link CaptureFileException} says at which
 * offset and why (the offset counts decompressed bytes in a gzip file, and the message says so);
 * no other exception comes from the file's content. Two checks go beyond libscap 0.29.3, which
 * reads past them into garbage: an event block's trailer must repeat its length (libscap checks
 * trailers of state blocks only), and an event's length and parameter lengths must fit in its block.
 * A block over 128 MiB is refused (the heap it would take). Not thread-safe.
 */
public final class ScapReader implements Closeable {
    /** libscap's read buffer: a non-large event block body may not exceed it. */
    static final int MAX_EVENT_BODY = 65536;
    private static final int NOTIFICATION_E = 280;
    private static final int INFRASTRUCTURE_EVENT_E = 286;

    private final ScapInput in;
    private final ScapEvent event = new ScapEvent();
    private ScapSection section;
    private int sections = 1;
    private long skippedNewerEvents;
    /** The current block header (a section's first event) is read but its block not yet. */
    private boolean headerPending;

    /** Reads the stream's first section header and state blocks. */
    public ScapReader(InputStream stream) throws IOException {
        in = new ScapInput(stream);
        try {
            if (!in.nextHeader()) {
                throw in.error(0, "empty file: not a .scap capture");
            }
            section = SectionReader.read(in);
            headerPending = true;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Opens a file; a directory, an empty, missing or unreadable file is a {@link CaptureFileException}
     * at offset 0 ({@link TraceFiles#open}).
     */
    public static ScapReader open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CaptureFileException(0, "a directory, not a .scap capture");
        }
        return new ScapReader(TraceFiles.open(file));
    }

    /** The current section: the first one until {@link #next()} crosses into the next. */
    public ScapSection section() {
        return section;
    }

    /** How many sections have been met so far. */
    public int sections() {
        return sections;
    }

    /** Whether the file is gzip-compressed (error offsets then count decompressed bytes). */
    public boolean gzip() {
        return in.gzip();
    }

    /** Events with ids beyond this reader's table (newer drivers), skipped as sysdig 0.29.3 skips them. */
    public long skippedNewerEvents() {
        return skippedNewerEvents;
    }

    /**
     * The next event, or null at the end of the file. The returned object is reused by the next call
     * (see {@link ScapEvent#copy()}). A damaged block is a {@link CaptureFileException}.
     */
    public ScapEvent next() throws IOException {
        while (true) {
            if (!headerPending && !in.nextHeader()) {
                return null;
            }
            headerPending = false;
            int type = in.type();
            if (BlockType.isEvent(type)) {
                if (decode(type)) {
                    return event;
                }
            } else if (type == BlockType.SHB) {
                section = SectionReader.read(in);
                sections++;
                headerPending = true;
            } else {
                throw in.error(in.at(), String.format("block of type 0x%x after events: only event blocks or a"
                        + " new section header may follow events", type));
            }
        }
    }

    /** Reads the current event block into {@link #event}; false for an event id newer than the table. */
    private boolean decode(int type) throws IOException {
        boolean v1 = BlockType.isV1Event(type);
        int header = v1 ? 22 : 26;
        int prefix = BlockType.hasDumpFlags(type) ? 6 : 2;
        String name = v1 ? "event block (v1)" : "event block";
        long total = in.total();
        if (total < ScapInput.FRAME + prefix + header) {
            throw in.error(in.at(), name + " length " + total + " is too short for an event header ("
                    + (ScapInput.FRAME + prefix + header) + " bytes at least)");
        }
        if (!BlockType.isLargeEvent(type) && total - 8 > MAX_EVENT_BODY) {
            throw in.error(in.at(), name + " length " + total + " exceeds the " + MAX_EVENT_BODY
                    + " bytes of a non-large event block");
        }
        in.readBody(name);
        byte[] a = in.body();
        int p = in.bodyStart();
        int end = p + in.bodyLength();
        int cpu = Le.u16(a, p);
        long flags = prefix == 6 ? Le.u32(a, p + 2) : 0;
        int ev = p + prefix;
        long ts = Le.i64(a, ev);
        long tid = Le.i64(a, ev + 8);
        long len = Le.u32(a, ev + 16);
        int id = Le.u16(a, ev + 20);
        EventInfo info = EventTable.get(id);
        if (info == null) {
            skippedNewerEvents++;
            return false;
        }
        if (v1 && (id == NOTIFICATION_E || id == INFRASTRUCTURE_EVENT_E)) {
            len -= 3; // old captures overstate these two events' length (libscap corrects it the same way)
        }
        if (len < header || len > end - ev) {
            throw in.error(in.at(), name + ": event length " + len + " does not fit between its " + header
                    + "-byte header and the block's " + (end - ev) + " event bytes");
        }
        int evEnd = ev + (int) len;
        int nparams;
        int lensAt = ev + header;
        int lenSize = !v1 && info.largePayload() ? 4 : 2;
        if (v1) {
            nparams = v1ParamCount(a, lensAt, evEnd, info.paramCount(), name);
        } else {
            long n = Le.u32(a, ev + 22);
            if (n > (evEnd - lensAt) / lenSize) {
                throw in.error(in.at(), name + ": " + n + " parameters do not fit in an event of length " + len);
            }
            nparams = (int) n;
        }
        event.set(a, in.at(), cpu, flags, ts, tid, info, nparams);
        int[] starts = event.valueStarts(nparams);
        long v = lensAt + (long) nparams * lenSize;
        for (int i = 0; i < nparams; i++) {
            starts[i] = (int) v;
            v += lenSize == 2 ? Le.u16(a, lensAt + 2 * i) : Le.u32(a, lensAt + 4 * i);
            if (v > evEnd) {
                throw in.error(in.at(), name + ": " + info.name() + " parameter " + i
                        + " runs past the event's length " + len);
            }
        }
        starts[nparams] = (int) v;
        return true;
    }

    /**
     * A v1 event has no parameter count: like libscap, take the table's count and lower it until the
     * lengths add up to the event's; more bytes than the table's parameters account for is an error.
     */
    private int v1ParamCount(byte[] a, int lensAt, int evEnd, int tableCount, String name) throws CaptureFileException {
        for (int n = tableCount; n >= 0; n--) {
            long v = lensAt + 2L * n;
            if (v > evEnd) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                v += Le.u16(a, lensAt + 2 * i);
            }
            if (v < evEnd) {
                break;
            }
            if (v == evEnd) {
                return n;
            }
        }
        throw in.error(in.at(), name + ": its parameter lengths match no parameter count of event "
                + EventTable.get(Le.u16(a, lensAt - 2)).name() + " (as libscap says: cannot convert v1 event)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Whether a block of this type (read little-endian) belongs to a .scap file: after a section
     * header, which .scap shares with pcapng, the next block's type tells the two apart.
     */
    public static boolean isScapBlock(int type) {
        return BlockType.known(type);
    }
}
