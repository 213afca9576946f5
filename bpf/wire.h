/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user/kernel contract: every struct that crosses a map or ring buffer.
 * Java mirrors these offsets in io.wiretop.capture.WireLayout; WireLayoutTest parses the
 * _Static_assert lines below, so a change here that is not made there fails `mvn test`.
 */
#ifndef WIRETOP_WIRE_H
#define WIRETOP_WIRE_H

#define WT_COMM_LEN 16
#define WT_ARGS_LEN 480
#define WT_PATH_LEN 128

/* A process identity that survives pid reuse: tgid plus the group leader's start_boottime. */
struct wt_conn_key {
	__u32 tgid;
	__u32 pad;
	__u64 start_ns;
	__u64 cookie;   /* socket cookie: unique for the life of the socket */
};

/* Cumulative per (process, socket) counters; the 5-tuple is written on first sight. */
struct wt_conn_val {
	__u64 bytes_in;
	__u64 bytes_out;
	__u64 ops_in;
	__u64 ops_out;
	__u16 family;   /* AF_INET 2, AF_INET6 10 */
	__u8 proto;     /* IPPROTO_TCP 6, IPPROTO_UDP 17, ... */
	__u8 flags;     /* WT_CONN_PASSIVE: the socket was accepted (this end is the server) */
	__u16 lport;    /* host byte order */
	__u16 rport;    /* host byte order */
	__u8 laddr[16]; /* IPv4 in the first 4 bytes */
	__u8 raddr[16];
};

#define WT_CONN_PASSIVE 1

/*
 * The socket table (net.bpf.c `slots`): slot cookie % WT_SLOTS holds the counters of the socket's
 * owner, the process of its first I/O. 64 bytes, one cache line: all a send or receive touches.
 */
#define WT_SLOTS 8192
struct wt_slot {
	__u64 cookie;     /* 0: free */
	__u64 start_ns;   /* owner: group leader start_boottime */
	__u32 tgid;       /* owner; 0 while the slot is being claimed */
	__u16 rport;      /* the tuple's rport (host order): a UDP socket connected later refills the tuple */
	__u16 pad;
	__u64 bytes_in;
	__u64 bytes_out;
	__u64 ops_in;
	__u64 ops_out;
	__u64 pad2;
};

/* Per (process, syscall, errno) call counts; err 0 is success. */
struct wt_sys_key {
	__u32 tgid;
	__u16 nr;
	__u16 err;
	__u64 start_ns;
};

/* Per (process, file) I/O on regular files. */
struct wt_file_key {
	__u32 tgid;
	__u32 dev;
	__u64 start_ns;
	__u64 ino;
};

struct wt_file_val {
	__u64 bytes_in;
	__u64 bytes_out;
	__u64 ops;
	__s32 last_fd;  /* lets user space name the file through /proc/<pid>/fd */
	__u32 pad;
};

enum wt_proc_event_type {
	WT_EV_EXEC = 1,
	WT_EV_FORK = 2,
	WT_EV_EXIT = 3,
};

/* A process lifecycle record in the proc_events ring buffer. */
struct wt_proc_event {
	__u32 type;
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u64 start_ns;
	__u64 ts_ns;       /* bpf_ktime_get_ns() */
	__s32 exit_code;
	__u32 args_len;    /* bytes of args used, NUL-separated */
	char comm[WT_COMM_LEN];
	char args[WT_ARGS_LEN];
};

/* Indexes of the per-CPU `lost` counters of each object. */
enum wt_lost_index {
	WT_LOST_RINGBUF = 0,   /* ring buffer full */
	WT_LOST_CONN_MAP = 1,  /* conns map full */
	WT_LOST_SYS_MAP = 2,   /* sys_calls map full */
	WT_LOST_FILE_MAP = 3,  /* file_io map full */
	WT_LOST_MAX = 4,
};

_Static_assert(sizeof(struct wt_conn_key) == 24, "wt_conn_key size");
_Static_assert(sizeof(struct wt_conn_val) == 72, "wt_conn_val size");
_Static_assert(__builtin_offsetof(struct wt_conn_val, family) == 32, "wt_conn_val.family");
_Static_assert(__builtin_offsetof(struct wt_conn_val, proto) == 34, "wt_conn_val.proto");
_Static_assert(__builtin_offsetof(struct wt_conn_val, flags) == 35, "wt_conn_val.flags");
_Static_assert(__builtin_offsetof(struct wt_conn_val, lport) == 36, "wt_conn_val.lport");
_Static_assert(__builtin_offsetof(struct wt_conn_val, rport) == 38, "wt_conn_val.rport");
_Static_assert(__builtin_offsetof(struct wt_conn_val, laddr) == 40, "wt_conn_val.laddr");
_Static_assert(__builtin_offsetof(struct wt_conn_val, raddr) == 56, "wt_conn_val.raddr");
_Static_assert(sizeof(struct wt_slot) == 64, "wt_slot size");
_Static_assert(__builtin_offsetof(struct wt_slot, start_ns) == 8, "wt_slot.start_ns");
_Static_assert(__builtin_offsetof(struct wt_slot, tgid) == 16, "wt_slot.tgid");
_Static_assert(__builtin_offsetof(struct wt_slot, rport) == 20, "wt_slot.rport");
_Static_assert(__builtin_offsetof(struct wt_slot, bytes_in) == 24, "wt_slot.bytes_in");
_Static_assert(sizeof(struct wt_sys_key) == 16, "wt_sys_key size");
_Static_assert(sizeof(struct wt_file_key) == 24, "wt_file_key size");
_Static_assert(sizeof(struct wt_file_val) == 32, "wt_file_val size");
_Static_assert(__builtin_offsetof(struct wt_file_val, last_fd) == 24, "wt_file_val.last_fd");
_Static_assert(sizeof(struct wt_proc_event) == 536, "wt_proc_event size");
_Static_assert(__builtin_offsetof(struct wt_proc_event, start_ns) == 16, "wt_proc_event.start_ns");
_Static_assert(__builtin_offsetof(struct wt_proc_event, ts_ns) == 24, "wt_proc_event.ts_ns");
_Static_assert(__builtin_offsetof(struct wt_proc_event, exit_code) == 32, "wt_proc_event.exit_code");
_Static_assert(__builtin_offsetof(struct wt_proc_event, args_len) == 36, "wt_proc_event.args_len");
_Static_assert(__builtin_offsetof(struct wt_proc_event, comm) == 40, "wt_proc_event.comm");
_Static_assert(__builtin_offsetof(struct wt_proc_event, args) == 56, "wt_proc_event.args");

/* ---- pkt.bpf.c: packets with process context (owned by the packets helper) ---- */

#define WT_PKT_MAX_SNAP 262144  /* bytes copied per frame at most: tcpdump's default and maximum snap length */
#define WT_PKT_IN 1
#define WT_PKT_OUT 2
#define WT_PKT_UNDECIDED 0x80  /* flag in wt_pkt_hdr.dir: the in-kernel filter could not decide, user space must */
#define WT_PKT_FILTER_PIDS 1     /* pkt_cfg.filter bits: a packet passes when it matches any enabled set */
#define WT_PKT_FILTER_COOKIES 2
#define WT_PKT_FILTER_COMMS 4
#define WT_PKT_FILTER_CGROUPS 8   /* the socket's cgroup v2 id, else the owner's (a container's cgroup and those below it) */

/* Who owns a socket: written in process context (socket creation, bind, sending), read per packet. */
struct wt_pkt_owner {
	__u64 start_ns;   /* group leader start_boottime: tells reused pids apart */
	__u64 cgroup_id;
	__u32 tgid;
	__u32 tid;
	__u32 uid;
	__u32 netns;      /* network namespace inode of the owner */
	char comm[WT_COMM_LEN];
};

/* Local (family, protocol, port) in one network namespace → owner, for sockets accepted from a
 * known listener (two containers may listen on the same port, each in its own namespace). */
struct wt_pkt_port_key {
	__u16 family;
	__u16 proto;
	__u16 port;       /* host byte order */
	__u16 pad;
	__u32 netns;      /* inode of the listener's network namespace */
};

/* pkt_cfg[0], written by user space before attaching. */
struct wt_pkt_cfg {
	__u32 snaplen;        /* bytes per frame to keep, Ethernet header included (as tcpdump -s), at most WT_PKT_MAX_SNAP */
	__u32 capture;        /* 0: only count WIRE bytes, 1: also emit packets to pkt_events */
	__u32 filter;         /* WT_PKT_FILTER_* bits, 0 = every packet */
	__u32 no_wire;        /* 1: do not count WIRE bytes (a capture alone does not need them) */
	__u64 wakeup_bytes;   /* wake the consumer only when this much data is pending */
	__u32 tc;             /* 1: packets are emitted by the tc hooks of chosen interfaces; cgroup_skb
	                       * only records which process owns each flow (pkt_flows) */
	__u32 cbpf;           /* 1: run the pcap-filter program in pkt_cbpf on each candidate packet */
};

/* A pcap-filter expression as libpcap compiles it (classic BPF, for an Ethernet frame), run in
 * the kernel by an interpreter so that packets it rejects never reach the ring. */
#define WT_CBPF_MAX 256
#define WT_CBPF_WINDOW 256  /* bytes of the frame the kernel examines; a program reading further is left to user space */
struct wt_cbpf_insn {
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};
struct wt_cbpf_prog {
	__u32 len;
	__u32 pad;
	struct wt_cbpf_insn insns[WT_CBPF_MAX];
};
#define WT_PKT_STAT_FILTERED 0   /* pkt_stats: packets the expression rejected in the kernel */
#define WT_PKT_STAT_DEFERRED 1   /* packets the kernel could not decide (read past the window): user space did */
#define WT_PKT_STAT_MAX 2

/* A flow as its local socket sees it → owner (pkt_flows): lets the tc hooks attribute packets that
 * carry no socket (ingress before demux, forwarded traffic of a container's namespace). */
struct wt_flow_key {
	__u8 family;      /* 4 or 6, of the packet */
	__u8 proto;
	__u16 lport;      /* network byte order; 0 for protocols without ports */
	__u16 rport;
	__u16 pad;
	__u32 laddr[4];   /* IPv4 in laddr[0] */
	__u32 raddr[4];
};

/* Header of each pkt_events record; caplen bytes of the packet follow: from the IP header
 * (cgroup_skb, l2len 0) or from the link-layer header (tc hooks, l2len bytes of it). */
struct wt_pkt_hdr {
	__u64 ts_ns;      /* bpf_ktime_get_ns() */
	__u64 cookie;     /* socket cookie, 0 when the packet has no socket */
	__u64 start_ns;
	__u64 cgroup_id;
	__u32 tgid;       /* 0 when the owner is unknown */
	__u32 tid;
	__u32 uid;
	__u32 ifindex;
	__u32 len;        /* skb->len: the packet's bytes from where the record's data starts */
	__u32 caplen;
	__u8 dir;         /* WT_PKT_IN or WT_PKT_OUT, | WT_PKT_UNDECIDED */
	__u8 family;      /* 4 or 6 */
	__u16 l2len;      /* bytes of link-layer header in front of the IP header (tc hooks), 0 from cgroup_skb */
	__u32 netns;
	char comm[WT_COMM_LEN];
	__u64 sk_cgroup;  /* cgroup v2 id of the socket (its creator's, inherited by accepted sockets), 0 without one */
	__u32 if_netns;   /* inode of the network namespace the packet was seen in, 0 when unknown */
	__u32 pad;
};

/* WIRE counters per (process, socket): IP bytes incl. headers and retransmissions. Key: wt_conn_key. */
struct wt_wire_val {
	__u64 bytes_in;
	__u64 bytes_out;
	__u64 pkts_in;
	__u64 pkts_out;
};

_Static_assert(sizeof(struct wt_pkt_owner) == 48, "wt_pkt_owner size");
_Static_assert(__builtin_offsetof(struct wt_pkt_owner, tgid) == 16, "wt_pkt_owner.tgid");
_Static_assert(__builtin_offsetof(struct wt_pkt_owner, comm) == 32, "wt_pkt_owner.comm");
_Static_assert(sizeof(struct wt_pkt_port_key) == 12, "wt_pkt_port_key size");
_Static_assert(__builtin_offsetof(struct wt_pkt_port_key, netns) == 8, "wt_pkt_port_key.netns");
_Static_assert(sizeof(struct wt_pkt_cfg) == 32, "wt_pkt_cfg size");
_Static_assert(__builtin_offsetof(struct wt_pkt_cfg, tc) == 24, "wt_pkt_cfg.tc");
_Static_assert(__builtin_offsetof(struct wt_pkt_cfg, cbpf) == 28, "wt_pkt_cfg.cbpf");
_Static_assert(sizeof(struct wt_cbpf_insn) == 8, "wt_cbpf_insn size");
_Static_assert(sizeof(struct wt_cbpf_prog) == 2056, "wt_cbpf_prog size");
_Static_assert(sizeof(struct wt_flow_key) == 40, "wt_flow_key size");
_Static_assert(__builtin_offsetof(struct wt_pkt_cfg, no_wire) == 12, "wt_pkt_cfg.no_wire");
_Static_assert(__builtin_offsetof(struct wt_pkt_cfg, wakeup_bytes) == 16, "wt_pkt_cfg.wakeup_bytes");
_Static_assert(sizeof(struct wt_pkt_hdr) == 96, "wt_pkt_hdr size");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, sk_cgroup) == 80, "wt_pkt_hdr.sk_cgroup");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, if_netns) == 88, "wt_pkt_hdr.if_netns");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, cookie) == 8, "wt_pkt_hdr.cookie");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, start_ns) == 16, "wt_pkt_hdr.start_ns");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, cgroup_id) == 24, "wt_pkt_hdr.cgroup_id");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, tgid) == 32, "wt_pkt_hdr.tgid");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, tid) == 36, "wt_pkt_hdr.tid");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, uid) == 40, "wt_pkt_hdr.uid");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, ifindex) == 44, "wt_pkt_hdr.ifindex");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, len) == 48, "wt_pkt_hdr.len");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, caplen) == 52, "wt_pkt_hdr.caplen");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, dir) == 56, "wt_pkt_hdr.dir");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, family) == 57, "wt_pkt_hdr.family");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, l2len) == 58, "wt_pkt_hdr.l2len");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, netns) == 60, "wt_pkt_hdr.netns");
_Static_assert(__builtin_offsetof(struct wt_pkt_hdr, comm) == 64, "wt_pkt_hdr.comm");
_Static_assert(sizeof(struct wt_wire_val) == 32, "wt_wire_val size");

#endif
