// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Packets with process context. cgroup_skb on the cgroup v2 root sees every packet of a local
 * socket in both directions, starting at the IP header, with the socket cookie. The cookie joins
 * the packet to its owner (pid/tid/comm/uid/cgroup), recorded in process context: at socket
 * creation and bind, and on every egress packet sent from process context (see sent_by_current), so a
 * forked child sending on an inherited socket takes it over. Accepted sockets inherit the owner of
 * the listener through the local port. Pre-existing sockets are seeded by user space.
 *
 * Per packet: WIRE counters per (process, cookie), and, when capturing and the packet passes the
 * pid/cookie/comm filter, a record (header + up to snaplen bytes) into pkt_events. Wake-ups are
 * batched: records are submitted with BPF_RB_NO_WAKEUP until wakeup_bytes are pending; the
 * consumer also polls on a timer.
 */
#include "common.h"
#include <bpf/bpf_endian.h>

#define SOCK_DGRAM 2
#define IPPROTO_TCP 6

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wt_pkt_cfg);
} pkt_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct wt_pkt_owner);
} pkt_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct wt_pkt_port_key);
	__type(value, struct wt_pkt_owner);
} pkt_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pkt_filter_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} pkt_filter_cookies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[WT_COMM_LEN]);
	__type(value, __u8);
} pkt_filter_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_conn_key);
	__type(value, struct wt_wire_val);
} wire SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} pkt_events SEC(".maps");

/*
 * Whether an egress packet is being sent by `current` (process context) rather than from softirq or
 * a timer, where `current` is whichever task happened to run. (The preempt count is not reachable:
 * __preempt_count has no kallsyms address on these kernels.) TCP transmits from softirq/timers only
 * while no task holds the socket lock (otherwise the work is deferred to the lock owner), so a held
 * lock means the owner's process context. Datagram sockets (UDP, ping) transmit only from sendmsg.
 * Raw sockets are left to the cookie map: the kernel's own ICMP replies go out on raw sockets.
 */
static __always_inline bool sent_by_current(struct bpf_sock *sk)
{
	if (sk->type == SOCK_DGRAM)
		return true;
	if (sk->protocol != IPPROTO_TCP)
		return false;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return false;
	return tp->inet_conn.icsk_inet.sk.sk_lock.owned != 0;
}

static __always_inline void current_owner(struct wt_pkt_owner *o)
{
	struct task_struct *t = bpf_get_current_task_btf();
	o->tgid = t->tgid;
	o->tid = t->pid;
	o->start_ns = t->group_leader->start_boottime;
	o->uid = bpf_get_current_uid_gid();
	o->cgroup_id = bpf_get_current_cgroup_id();
	o->netns = BPF_CORE_READ(t, nsproxy, net_ns, ns.inum);
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* Records the caller as owner of the socket; kernel threads own nothing. */
static __always_inline void own(__u64 cookie, struct wt_pkt_owner *o)
{
	struct wt_pkt_owner *cur = bpf_map_lookup_elem(&pkt_owners, &cookie);
	if (cur && cur->tgid == o->tgid && cur->tid == o->tid)
		return;
	bpf_map_update_elem(&pkt_owners, &cookie, o, BPF_ANY);
}

SEC("cgroup/sock_create")
int wt_sock_create(struct bpf_sock *sk)
{
	if (sk->family != AF_INET && sk->family != AF_INET6)
		return 1;
	struct wt_pkt_owner o = {};
	current_owner(&o);
	if (o.tgid == 0)
		return 1;
	__u64 cookie = bpf_get_socket_cookie(sk);
	bpf_map_update_elem(&pkt_owners, &cookie, &o, BPF_ANY);
	return 1;
}

static __always_inline int post_bind(struct bpf_sock *sk)
{
	struct wt_pkt_owner o = {};
	current_owner(&o);
	if (o.tgid == 0)
		return 1;
	__u64 cookie = bpf_get_socket_cookie(sk);
	own(cookie, &o);
	struct wt_pkt_port_key pk = {.family = sk->family, .proto = sk->protocol, .port = sk->src_port};
	bpf_map_update_elem(&pkt_ports, &pk, &o, BPF_ANY);
	return 1;
}

SEC("cgroup/post_bind4")
int wt_post_bind4(struct bpf_sock *sk)
{
	return post_bind(sk);
}

SEC("cgroup/post_bind6")
int wt_post_bind6(struct bpf_sock *sk)
{
	return post_bind(sk);
}

static __always_inline bool wanted(struct wt_pkt_cfg *cfg, __u64 cookie, struct wt_pkt_owner *o)
{
	if (cfg->filter == 0)
		return true;
	if ((cfg->filter & WT_PKT_FILTER_PIDS) && o && bpf_map_lookup_elem(&pkt_filter_pids, &o->tgid))
		return true;
	if ((cfg->filter & WT_PKT_FILTER_COOKIES) && bpf_map_lookup_elem(&pkt_filter_cookies, &cookie))
		return true;
	if ((cfg->filter & WT_PKT_FILTER_COMMS) && o && bpf_map_lookup_elem(&pkt_filter_comms, o->comm))
		return true;
	return false;
}

static __always_inline void count_wire(__u64 cookie, struct wt_pkt_owner *o, __u32 len, bool out)
{
	struct wt_conn_key key = {.cookie = cookie};
	if (o) {
		key.tgid = o->tgid;
		key.start_ns = o->start_ns;
	}
	struct wt_wire_val *v = bpf_map_lookup_elem(&wire, &key);
	if (!v) {
		struct wt_wire_val init = {};
		bpf_map_update_elem(&wire, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&wire, &key);
		if (!v) {
			count_lost(WT_LOST_CONN_MAP);
			return;
		}
	}
	if (out) {
		__sync_fetch_and_add(&v->bytes_out, len);
		__sync_fetch_and_add(&v->pkts_out, 1);
	} else {
		__sync_fetch_and_add(&v->bytes_in, len);
		__sync_fetch_and_add(&v->pkts_in, 1);
	}
}

/*
 * Bytes this skb takes on the wire. A GSO/TSO skb (or a GRO-merged one on ingress) carries the
 * headers once but is sent as gso_segs packets, each with its own IP and transport headers:
 * count them, as a capture on the device does.
 */
static __always_inline __u32 wire_len(struct __sk_buff *skb)
{
	__u32 segs = skb->gso_segs;
	if (segs <= 1)
		return skb->len;
	__u8 b0 = 0;
	if (bpf_skb_load_bytes(skb, 0, &b0, 1) < 0)
		return skb->len;
	__u32 ip_len, proto_off;
	__u8 proto = 0;
	if ((b0 >> 4) == 4) {
		ip_len = (b0 & 0xf) * 4;
		proto_off = 9;
	} else {
		ip_len = 40;
		proto_off = 6;
	}
	if (bpf_skb_load_bytes(skb, proto_off, &proto, 1) < 0)
		return skb->len;
	__u32 l4_len = 8; /* UDP GSO */
	if (proto == IPPROTO_TCP) {
		__u8 doff = 0;
		if (bpf_skb_load_bytes(skb, (ip_len & 0x3f) + 12, &doff, 1) < 0)
			return skb->len;
		l4_len = (doff >> 4) * 4;
	}
	return skb->len + (segs - 1) * (ip_len + l4_len);
}

/* One ring record: header plus the first caplen bytes of the packet, in a reservation of `room` bytes. */
static __always_inline void emit(struct __sk_buff *skb, struct wt_pkt_cfg *cfg, struct wt_pkt_owner *o,
				 __u64 cookie, bool out, __u32 caplen, const __u32 room)
{
	struct wt_pkt_hdr *h = bpf_ringbuf_reserve(&pkt_events, sizeof(struct wt_pkt_hdr) + room, 0);
	if (!h) {
		count_lost(WT_LOST_RINGBUF);
		return;
	}
	h->ts_ns = bpf_ktime_get_ns();
	h->cookie = cookie;
	h->ifindex = skb->ifindex;
	h->len = skb->len;
	h->dir = out ? WT_PKT_OUT : WT_PKT_IN;
	h->family = skb->protocol == bpf_htons(0x86DD) ? 6 : 4;
	h->pad = 0;
	if (o) {
		h->tgid = o->tgid;
		h->tid = o->tid;
		h->uid = o->uid;
		h->start_ns = o->start_ns;
		h->cgroup_id = o->cgroup_id;
		h->netns = o->netns;
		__builtin_memcpy(h->comm, o->comm, WT_COMM_LEN);
	} else {
		h->tgid = h->tid = h->uid = h->netns = 0;
		h->start_ns = h->cgroup_id = 0;
		__builtin_memset(h->comm, 0, WT_COMM_LEN);
	}
	/* the verifier needs both bounds on the register passed as the length: separate compares with
	 * a barrier between, or clang merges them into one `n - 1 < room` test whose bounds the
	 * verifier does not carry back to n */
	__u64 n = caplen;
	asm volatile("" : "+r"(n));
	if (n == 0 || n > room || bpf_skb_load_bytes(skb, 0, (void *)(h + 1), n & 0x1ffff) < 0)
		n = 0;
	h->caplen = n;
	__u64 pending = bpf_ringbuf_query(&pkt_events, BPF_RB_AVAIL_DATA);
	bpf_ringbuf_submit(h, pending >= cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline int on_packet(struct __sk_buff *skb, bool out)
{
	__u32 zero = 0;
	struct wt_pkt_cfg *cfg = bpf_map_lookup_elem(&pkt_cfg, &zero);
	if (!cfg)
		return 1;
	struct bpf_sock *sk = skb->sk;
	__u64 cookie = sk ? bpf_get_socket_cookie(skb) : 0;
	if (sk)
		sk = bpf_sk_fullsock(sk); /* request and time-wait sockets: cookie map only */
	struct wt_pkt_owner cur = {};
	struct wt_pkt_owner *o = NULL;

	if (out && sk && sent_by_current(sk)) {
		/* sent from process context: the sender is `current`. The full owner record (comm, cgroup,
		 * netns: ~500 ns) is built only when the socket changes hands, not for every packet. */
		__u64 id = bpf_get_current_pid_tgid();
		if ((id >> 32) != 0) {
			o = bpf_map_lookup_elem(&pkt_owners, &cookie);
			if (!o || o->tgid != (id >> 32) || o->tid != (__u32)id) {
				current_owner(&cur);
				bpf_map_update_elem(&pkt_owners, &cookie, &cur, BPF_ANY);
				o = &cur;
			}
		}
	}
	if (!o && cookie) {
		o = bpf_map_lookup_elem(&pkt_owners, &cookie);
		if (!o && sk) {
			/* an accepted socket: take the owner of the listener on the same local port */
			struct wt_pkt_port_key pk = {.family = sk->family, .proto = sk->protocol, .port = sk->src_port};
			struct wt_pkt_owner *lo = bpf_map_lookup_elem(&pkt_ports, &pk);
			if (lo) {
				cur = *lo;
				cur.tid = 0; /* no thread known for packets seen outside process context */
				bpf_map_update_elem(&pkt_owners, &cookie, &cur, BPF_NOEXIST);
				o = &cur;
			}
		}
	}

	if (!cfg->no_wire)
		count_wire(cookie, o, wire_len(skb), out);

	if (!cfg->capture || !wanted(cfg, cookie, o))
		return 1;

	__u32 snap = cfg->snaplen;
	__u32 caplen = skb->len < snap ? skb->len : snap;
	/* The record is reserved in the ring and the packet loaded straight into it: no per-CPU
	 * scratch (a softirq nesting on a process-context program would find it busy and lose the
	 * packet) and no second copy. The verifier wants a constant reservation size: round up to a
	 * size class; caplen in the header says how much of the room is packet. */
	if (caplen <= 64)
		emit(skb, cfg, o, cookie, out, caplen, 64);
	else if (caplen <= 128)
		emit(skb, cfg, o, cookie, out, caplen, 128);
	else if (caplen <= 256)
		emit(skb, cfg, o, cookie, out, caplen, 256);
	else if (caplen <= 1536)
		emit(skb, cfg, o, cookie, out, caplen, 1536);
	else if (caplen <= 9216)
		emit(skb, cfg, o, cookie, out, caplen, 9216);
	else
		emit(skb, cfg, o, cookie, out, caplen, WT_PKT_MAX_SNAP + 1);
	return 1;
}

SEC("cgroup_skb/egress")
int wt_pkt_egress(struct __sk_buff *skb)
{
	return on_packet(skb, true);
}

SEC("cgroup_skb/ingress")
int wt_pkt_ingress(struct __sk_buff *skb)
{
	return on_packet(skb, false);
}
