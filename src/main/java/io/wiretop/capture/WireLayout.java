// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

/**
 * Sizes and offsets of the structs in {@code bpf/wire.h}. WireLayoutTest checks these against the
 * header's _Static_assert lines, so the two cannot drift apart silently.
 */
public final class WireLayout {
    private WireLayout() {
    }

    public static final int CONN_KEY_SIZE = 24;
    public static final int CONN_VAL_SIZE = 72;
    public static final int CONN_VAL_FAMILY = 32;
    public static final int CONN_VAL_PROTO = 34;
    public static final int CONN_VAL_FLAGS = 35;
    public static final int CONN_PASSIVE = 1;
    public static final int CONN_VAL_LPORT = 36;
    public static final int CONN_VAL_RPORT = 38;
    public static final int CONN_VAL_LADDR = 40;
    public static final int CONN_VAL_RADDR = 56;

    /** struct wt_slot: net.bpf.c's socket table entry (one cache line) */
    public static final int SLOT_SIZE = 64;
    public static final int SLOT_START_NS = 8;
    public static final int SLOT_TGID = 16;
    public static final int SLOT_RPORT = 20;
    public static final int SLOT_BYTES_IN = 24;

    /** struct wt_wire_val: bytes_in, bytes_out, pkts_in, pkts_out (pkt.bpf.c's WIRE map, keyed by wt_conn_key) */
    public static final int WIRE_VAL_SIZE = 32;

    public static final int SYS_KEY_SIZE = 16;

    public static final int FILE_KEY_SIZE = 24;
    public static final int FILE_VAL_SIZE = 32;
    public static final int FILE_VAL_LAST_FD = 24;

    public static final int PROC_EVENT_SIZE = 536;
    public static final int PROC_EVENT_START_NS = 16;
    public static final int PROC_EVENT_TS_NS = 24;
    public static final int PROC_EVENT_EXIT_CODE = 32;
    public static final int PROC_EVENT_ARGS_LEN = 36;
    public static final int PROC_EVENT_COMM = 40;
    public static final int PROC_EVENT_ARGS = 56;

    public static final int COMM_LEN = 16;
    public static final int ARGS_LEN = 480;

    public static final int EV_EXEC = 1;
    public static final int EV_FORK = 2;
    public static final int EV_EXIT = 3;

    public static final int LOST_SLOTS = 4;

    /** Linux reports process start times in USER_HZ ticks, fixed at 100 on every architecture we run on. */
    public static final long NANOS_PER_TICK = 10_000_000L;
}
