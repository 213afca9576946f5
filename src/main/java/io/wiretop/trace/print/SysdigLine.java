// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapSection;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * sysdig 0.29.3's default line for each event of a capture:
 * {@code %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args}, e.g.
 * {@code 219 17:35:48.514682170 0 curl (17497) < open fd=3(<f>/etc/ld.so.cache) name=/etc/ld.so.cache
 * flags=4097(O_RDONLY|O_CLOEXEC) mode=0 } (with its trailing space).
 * <p>Feed it every event of the file in order ({@link #next}): it numbers them all as sysdig does
 * and keeps the thread and fd names the lines show, but returns null for the internal events
 * sysdig does not print. Texts are as sysdig prints them; CHARBUF parameters (exe, comm, cwd) are
 * not sanitised by sysdig and must be escaped for the terminal (text.SafeText). Not thread-safe.
 */
public final class SysdigLine {
    /** How data buffers (BYTEBUF parameters) are printed: sysdig's default, {@code -A} or {@code -X}. */
    public enum Buffers {
        /** Non-printables as '.', cut to 80 characters ("..." at the end). */
        DOTTED,
        /** {@code -A}: printable ASCII and line breaks only, whole, on lines of their own. */
        ASCII,
        /** {@code -X}: hex and ASCII rows, whole. */
        HEX
    }

    private final SysdigState state;
    private final ParamText params;
    private final ZoneId zone;
    private long num;
    private long latency = -1;

    /** A printer starting with the section's threads and fds, times in the local zone (as sysdig's evt.time). */
    public SysdigLine(ScapSection head) {
        this(head, ZoneId.systemDefault(), Buffers.DOTTED);
    }

    /** A printer with the buffer rendering of sysdig's {@code -A} or {@code -X} and times in that zone. */
    public SysdigLine(ScapSection head, ZoneId zone, Buffers buffers) {
        this.state = new SysdigState(head);
        this.params = new ParamText(state, buffers);
        this.zone = zone;
    }

    /**
     * The next event of the file: updates the names, then its line, or null when sysdig skips it
     * (internal events such as procinfo), which still takes a number.
     */
    public String next(ScapEvent e) {
        return skip(e) ? format(e) : null;
    }

    /**
     * As {@link #next} without building the line, for the events a Dig window filters out (the
     * names must still follow every event): numbers it, updates the names, and says whether sysdig
     * prints it. The eventFd accessors then describe it.
     */
    public boolean skip(ScapEvent e) {
        num++;
        latency = -1;
        if (!shown(e)) {
            state.eventFd = -1;
            state.eventFdInfo = null;
            return false;
        }
        SysdigState.Thread t = e.enter() ? null : state.find(e.tid());
        if (t != null && t.lastEnter != null && t.lastEnter.type() == e.type() - 1) {
            latency = e.timestamp() - t.lastEnter.timestamp(); // before parse forgets the enter
        }
        state.parse(e);
        return true;
    }

    /**
     * The line of the event last passed to {@link #skip} when it returned true (a Dig window builds
     * only the lines of the events it keeps).
     */
    public String line(ScapEvent e) {
        return format(e);
    }

    /** For the exit last passed to {@link #skip}, nanoseconds since its enter (evt.latency), else -1. */
    public long latency() {
        return latency;
    }

    /** The process of a thread now (its own tid for one the capture never introduced, as libsinsp). */
    public long pid(long tid) {
        SysdigState.Thread t = state.find(tid);
        return t == null ? tid : t.pid;
    }

    /** The number sysdig gave the last event passed to {@link #next} (evt.num, from 1). */
    public long number() {
        return num;
    }

    /**
     * The name sysdig shows for an fd of a thread now, e.g. {@code <f>/etc/ld.so.cache} or
     * {@code <4t>127.0.0.1:40000->127.0.0.1:8080}, or null when it knows none (Echo's separators).
     */
    public String fdName(long tid, long fd) {
        SysdigState.Thread t = state.find(tid);
        SysdigState.Fd f = t == null ? null : state.fd(t, fd);
        return f == null ? null : f.text();
    }

    /**
     * The fd of the event last passed to {@link #next} (an exit's is its enter's, as libsinsp pairs
     * them), or -1: what a Dig or Echo window on a connection or file filters on.
     */
    public long eventFd() {
        return state.eventFd;
    }

    /**
     * The name (without its {@code <f>} type) of that fd when the event happened, e.g.
     * {@code /etc/ld.so.cache} or {@code 127.0.0.1:40000->127.0.0.1:8080}; "" when sysdig knows none.
     * Printable ASCII only (libsinsp's sanitising).
     */
    public String eventFdName() {
        return state.eventFdInfo == null ? "" : Sanitize.printable(state.eventFdInfo.name);
    }

    /**
     * The container a thread is in, as its cgroups in the capture (process list, clone and execve
     * exits) name it: its id, "" for none, null for a thread the capture never introduced.
     */
    public String container(long tid) {
        SysdigState.Thread t = state.find(tid);
        return t == null ? null : t.container;
    }

    /** The comm sysdig shows for a thread (proc.name), {@code <NA>} for one the capture never introduced. */
    public String comm(long tid) {
        SysdigState.Thread t = state.find(tid); // asking must not make the thread: that would change later lines
        return t == null ? "<NA>" : t.comm;
    }

    private static boolean shown(ScapEvent e) {
        return !e.info().category().contains("EC_INTERNAL");
    }

    private String format(ScapEvent e) {
        SysdigState.Thread t = state.thread(e.tid());
        StringBuilder s = new StringBuilder(160);
        s.append(num).append(' ').append(time(e.timestamp())).append(' ').append(e.cpu()).append(' ')
                .append(t.comm).append(" (").append(e.tid()).append(") ").append(e.enter() ? '>' : '<').append(' ')
                .append(e.name()).append(' ');
        if (e.type() > 1) { // generic events' parameters are internal: sysdig prints none
            int n = Math.min(e.paramCount(), e.info().paramCount());
            for (int i = 0; i < n; i++) {
                params.render(e, t, i).appendTo(s, e.info().paramNames().get(i));
            }
        }
        return s.toString();
    }

    /** evt.time: {@code HH:MM:SS.nnnnnnnnn} in the zone. */
    String time(long epochNanos) {
        return time(epochNanos, zone);
    }

    /** evt.time: {@code HH:MM:SS.nnnnnnnnn} in a zone (Dig's packet lines have the same). */
    public static String time(long epochNanos, ZoneId zone) {
        LocalTime lt = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).atZone(zone).toLocalTime();
        return String.format("%02d:%02d:%02d.%09d", lt.getHour(), lt.getMinute(), lt.getSecond(), lt.getNano());
    }
}
