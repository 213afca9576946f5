// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.Arrays;
import java.util.List;

/**
 * One event of a .scap file: its header read at once, its parameters decoded only when asked
 * (replay decodes millions of events and most parameters are never looked at).
 * <p>The instance {@link ScapReader#next()} returns is a view of the reader's buffer, reused for the
 * next event: keep a {@link #copy()} to hold one longer. Parameter accessors never throw on odd
 * data: a parameter that is absent (index past the file's count, or zero-length, which libs uses for
 * "no value") or whose bytes do not fit its type yields the given default, null or an empty value.
 * Strings are untrusted text from the file.
 */
public final class ScapEvent {
    private byte[] a;
    private long offset;
    private int cpu;
    private long dumpFlags;
    private long ts;
    private long tid;
    private EventInfo info;
    private int nparams;
    /** Start of each parameter's value in {@code a}; entry nparams is the end of the last one. */
    private int[] values = new int[32];
    /** {@link #a} belongs to this copy (not the reader's buffer), so the next copy may overwrite it. */
    private boolean owned;

    ScapEvent() {
    }

    /** Sets the header; the caller then fills {@link #valueStarts(int)}. */
    void set(byte[] a, long offset, int cpu, long dumpFlags, long ts, long tid, EventInfo info, int nparams) {
        this.a = a;
        this.offset = offset;
        this.cpu = cpu;
        this.dumpFlags = dumpFlags;
        this.ts = ts;
        this.tid = tid;
        this.info = info;
        this.nparams = nparams;
    }

    /** The array of parameter starts, at least n + 1 long. */
    int[] valueStarts(int n) {
        if (values.length < n + 1) {
            values = new int[Math.max(n + 1, 2 * values.length)];
        }
        return values;
    }

    /** A copy that owns its bytes, unaffected by the reader's next event. */
    public ScapEvent copy() {
        return copy(null);
    }

    /**
     * The same as {@link #copy()}, made in {@code reuse} (a copy made earlier, or null for a new
     * one) so that keeping an event per thread allocates nothing once its buffers are big enough.
     */
    public ScapEvent copy(ScapEvent reuse) {
        ScapEvent c = reuse != null && reuse != this ? reuse : new ScapEvent();
        int from = values[0];
        int to = values[nparams];
        byte[] own = c.a != null && c.a.length >= to - from && c.owned ? c.a : new byte[Math.max(to - from, 64)];
        System.arraycopy(a, from, own, 0, to - from);
        c.owned = true;
        c.set(own, offset, cpu, dumpFlags, ts, tid, info, nparams);
        int[] v = c.valueStarts(nparams);
        for (int i = 0; i <= nparams; i++) {
            v[i] = values[i] - from;
        }
        return c;
    }

    /** Offset of the event's block (in the decompressed data for a gzip file). */
    public long offset() {
        return offset;
    }

    public int cpu() {
        return cpu;
    }

    /** EVF blocks' dump flags (1: state only, not shown by sysdig), 0 for other blocks. */
    public long dumpFlags() {
        return dumpFlags;
    }

    /** Nanoseconds since the Unix epoch. */
    public long timestamp() {
        return ts;
    }

    public long tid() {
        return tid;
    }

    public int type() {
        return info.id();
    }

    public EventInfo info() {
        return info;
    }

    /**
     * The event's name as sysdig prints it: the table's, except for a generic event (ids 0/1), which
     * is named after the syscall in its ID parameter ("mprotect"), or "syscall" without one.
     */
    public String name() {
        if (info.id() <= 1 && nparams > 0) {
            String sc = EventTable.syscallName((int) asLong(0, 0));
            if (sc != null) {
                return sc;
            }
        }
        return info.name();
    }

    /** Enter event (even id, {@code >} in sysdig), else exit ({@code <}). */
    public boolean enter() {
        return info.enter();
    }

    /** Parameters in the file, which may be fewer than the table lists (old captures) or more (newer ones). */
    public int paramCount() {
        return nparams;
    }

    /** Index of the table's parameter of that name, or -1. */
    public int paramIndex(String name) {
        return info.paramNames().indexOf(name);
    }

    /** The table's type for parameter i, or null past the table's list. */
    public ParamType paramType(int i) {
        return i >= 0 && i < info.paramTypes().size() ? info.paramTypes().get(i) : null;
    }

    /** Length in bytes of parameter i, 0 when absent. */
    public int paramLength(int i) {
        return i >= 0 && i < nparams ? values[i + 1] - values[i] : 0;
    }

    /** Whether parameter i is in the file with a value. */
    public boolean has(int i) {
        return paramLength(i) > 0;
    }

    /** An integer parameter (1, 2, 4 or 8 bytes; signed types sign-extended), or orElse. */
    public long asLong(int i, long orElse) {
        int n = paramLength(i);
        int at = n > 0 ? values[i] : 0;
        ParamType t = paramType(i);
        boolean signed = t != null && t.signed();
        return switch (n) {
            case 1 -> signed ? a[at] : a[at] & 0xff;
            case 2 -> signed ? (short) Le.u16(a, at) : Le.u16(a, at);
            case 4 -> signed ? Le.i32(a, at) : Le.u32(a, at);
            case 8 -> Le.i64(a, at);
            default -> orElse;
        };
    }

    /** A text parameter up to its NUL, or "" when absent. */
    public String asString(int i) {
        int n = paramLength(i);
        return n == 0 ? "" : ScapSocket.cString(a, values[i], n);
    }

    /** The raw bytes of parameter i (empty when absent). */
    public byte[] asBytes(int i) {
        int n = paramLength(i);
        return n == 0 ? new byte[0] : Arrays.copyOfRange(a, values[i], values[i] + n);
    }

    /** NUL-separated items (execve args, env, cgroups). */
    public List<String> asStrings(int i) {
        int n = paramLength(i);
        return n == 0 ? List.of() : BodyCursor.nulSeparated(a, values[i], n);
    }

    /** A SOCKTUPLE parameter, or null. */
    public ScapSocket asTuple(int i) {
        int n = paramLength(i);
        return n == 0 ? null : ScapSocket.tuple(a, values[i], n);
    }

    /** A SOCKADDR parameter, or null. */
    public ScapSocket asAddress(int i) {
        int n = paramLength(i);
        return n == 0 ? null : ScapSocket.address(a, values[i], n);
    }

    @Override
    public String toString() {
        return (enter() ? "> " : "< ") + name() + " ts=" + ts + " tid=" + tid + " cpu=" + cpu + " params=" + nparams;
    }
}
