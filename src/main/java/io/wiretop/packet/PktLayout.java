// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

/**
 * Byte offsets of the pkt.bpf.c structs in bpf/wire.h (little-endian). PktLayoutTest checks every
 * value against the header's _Static_assert lines, so the two cannot drift apart silently.
 */
public final class PktLayout {
    private PktLayout() {
    }

    /** Bytes kept of a frame at most, and by default: tcpdump's MAXIMUM_SNAPLEN (-s 0). */
    public static final int MAX_SNAP = 262144;
    public static final int DIR_IN = 1, DIR_OUT = 2, DIR_UNDECIDED = 0x80;
    public static final int FILTER_PIDS = 1, FILTER_COOKIES = 2, FILTER_COMMS = 4, FILTER_CGROUPS = 8;
    public static final int COMM_LEN = 16;

    /** struct wt_pkt_owner */
    public static final int OWNER_SIZE = 48, OWNER_START_NS = 0, OWNER_CGROUP_ID = 8, OWNER_TGID = 16,
            OWNER_TID = 20, OWNER_UID = 24, OWNER_NETNS = 28, OWNER_COMM = 32;
    /** struct wt_pkt_port_key */
    public static final int PORT_KEY_SIZE = 12, PORT_KEY_NETNS = 8;
    /** struct wt_pkt_cfg */
    public static final int CFG_SIZE = 32, CFG_SNAPLEN = 0, CFG_CAPTURE = 4, CFG_FILTER = 8, CFG_NO_WIRE = 12,
            CFG_WAKEUP_BYTES = 16, CFG_TC = 24, CFG_CBPF = 28;
    /** struct wt_cbpf_prog: a classic BPF program run in the kernel (wt_cbpf_insn = struct bpf_insn) */
    public static final int CBPF_MAX = 256, CBPF_INSN_SIZE = 8, CBPF_PROG_SIZE = 2056;
    /** pkt_stats indexes */
    public static final int STAT_FILTERED = 0, STAT_DEFERRED = 1;
    /** struct wt_flow_key */
    public static final int FLOW_KEY_SIZE = 40;
    /** struct wt_pkt_hdr, followed by caplen packet bytes */
    public static final int HDR_SIZE = 96, HDR_TS_NS = 0, HDR_COOKIE = 8, HDR_START_NS = 16, HDR_CGROUP_ID = 24,
            HDR_TGID = 32, HDR_TID = 36, HDR_UID = 40, HDR_IFINDEX = 44, HDR_LEN = 48, HDR_CAPLEN = 52, HDR_DIR = 56,
            HDR_FAMILY = 57, HDR_L2LEN = 58, HDR_NETNS = 60, HDR_COMM = 64,
            HDR_SK_CGROUP = 80, HDR_IF_NETNS = 88;
    /** struct wt_wire_val (key: struct wt_conn_key, 24 bytes: tgid, pad, start_ns, cookie) */
    public static final int WIRE_VAL_SIZE = 32, WIRE_KEY_SIZE = 24;
}
