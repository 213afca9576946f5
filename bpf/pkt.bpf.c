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
 *
 * With tc hooks on chosen interfaces (pkt_cfg.tc, `capture -i DEV`), the tc programs emit instead:
 * every packet the device carries, forwarded ones included; cgroup_skb then only records which
 * process owns each flow (pkt_flows) so that packets without a socket are attributed by flow.
 */
#include "common.h"
#include <bpf/bpf_endian.h>
#include "cbpf.h"

#define SOCK_DGRAM 2
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TC_NEXT -1 /* TCX_NEXT / TC_ACT_UNSPEC: let the packet go on, untouched */

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
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} pkt_filter_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_conn_key);
	__type(value, struct wt_wire_val);
} wire SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_flow_key);
	__type(value, struct wt_pkt_owner);
} pkt_flows SEC(".maps");

/* ifindex → bytes of link-layer header in front of the IP header, for the interfaces with tc hooks */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} pkt_tc_ifs SEC(".maps");

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
	struct wt_pkt_port_key pk = {.family = sk->family, .proto = sk->protocol, .port = sk->src_port,
				     .netns = o.netns};
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

/*
 * The network namespace of a TCP socket (inode), 0 for other sockets. The socket's own, not its
 * owner's: a container's server answers its first SYN before any process of it has touched the
 * new connection.
 */
static __always_inline __u32 tcp_netns(struct bpf_sock *sk)
{
	if (!sk)
		return 0;
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	return BPF_CORE_READ(tp, inet_conn.icsk_inet.sk.__sk_common.skc_net.net, ns.inum);
}

/*
 * Which packets leave the kernel. The cgroup set (a container's) is matched against the socket's
 * cgroup when the packet has a socket: a socket belongs to the cgroup of the process that created
 * it, and accepted sockets inherit the listener's, so a container's server is selected from the SYN
 * its listener receives, before any of its processes owns the connection, and a neighbour's socket
 * never is, whatever its owner record says. Without a socket (tc ingress) the owner's cgroup decides.
 */
static __always_inline bool wanted(struct wt_pkt_cfg *cfg, __u64 cookie, struct wt_pkt_owner *o, __u64 sk_cgroup)
{
	if (cfg->filter == 0)
		return true;
	if ((cfg->filter & WT_PKT_FILTER_PIDS) && o && bpf_map_lookup_elem(&pkt_filter_pids, &o->tgid))
		return true;
	if ((cfg->filter & WT_PKT_FILTER_COOKIES) && bpf_map_lookup_elem(&pkt_filter_cookies, &cookie))
		return true;
	if ((cfg->filter & WT_PKT_FILTER_COMMS) && o && bpf_map_lookup_elem(&pkt_filter_comms, o->comm))
		return true;
	if (cfg->filter & WT_PKT_FILTER_CGROUPS) {
		if (sk_cgroup)
			return bpf_map_lookup_elem(&pkt_filter_cgroups, &sk_cgroup) != NULL;
		if (o && bpf_map_lookup_elem(&pkt_filter_cgroups, &o->cgroup_id))
			return true;
	}
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

/* Where a packet was seen: its socket (cookie, the socket's cgroup) and network namespace. */
struct wt_pkt_where {
	__u64 cookie;
	__u64 sk_cgroup;
	__u32 netns;  /* of the device that carried the packet; 0: wiretop's own (tc hooks on -i devices) */
};

/* One ring record: header plus the first caplen bytes of the packet, in a reservation of `room` bytes. */
static __always_inline void emit(struct __sk_buff *skb, struct wt_pkt_cfg *cfg, struct wt_pkt_owner *o,
				 struct wt_pkt_where *at, __u8 dir, __u32 l2len, __u32 caplen, const __u32 room)
{
	struct wt_pkt_hdr *h = bpf_ringbuf_reserve(&pkt_events, sizeof(struct wt_pkt_hdr) + room, 0);
	if (!h) {
		count_lost(WT_LOST_RINGBUF);
		return;
	}
	h->ts_ns = bpf_ktime_get_ns();
	h->cookie = at->cookie;
	h->sk_cgroup = at->sk_cgroup;
	h->if_netns = at->netns;
	h->pad = 0;
	h->ifindex = skb->ifindex;
	h->len = skb->len;
	h->dir = dir;
	h->family = skb->protocol == bpf_htons(0x86DD) ? 6 : 4;
	h->l2len = l2len;
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
	if (n == 0 || n > room || bpf_skb_load_bytes(skb, 0, (void *)(h + 1), n & 0x7ffff) < 0)
		n = 0;
	h->caplen = n;
	__u64 pending = bpf_ringbuf_query(&pkt_events, BPF_RB_AVAIL_DATA);
	bpf_ringbuf_submit(h, pending >= cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* Emits the packet's first snaplen bytes, in a reservation rounded up to a size class (the verifier
 * wants a constant size; caplen in the header says how much of the room is packet). */
static __always_inline void emit_sized(struct __sk_buff *skb, struct wt_pkt_cfg *cfg, struct wt_pkt_owner *o,
				       struct wt_pkt_where *at, bool out, __u32 l2len, __u32 verdict)
{
	__u8 dir = (out ? WT_PKT_OUT : WT_PKT_IN) | (verdict == CBPF_UNDECIDED ? WT_PKT_UNDECIDED : 0);
	__u32 snap = cfg->snaplen;
	if (!l2len) /* the snap length counts the (fake) Ethernet header, as tcpdump's -s does */
		snap = snap > 14 ? snap - 14 : 0;
	__u32 caplen = skb->len < snap ? skb->len : snap;
	if (caplen <= 64)
		emit(skb, cfg, o, at, dir, l2len, caplen, 64);
	else if (caplen <= 128)
		emit(skb, cfg, o, at, dir, l2len, caplen, 128);
	else if (caplen <= 256)
		emit(skb, cfg, o, at, dir, l2len, caplen, 256);
	else if (caplen <= 1536)
		emit(skb, cfg, o, at, dir, l2len, caplen, 1536);
	else if (caplen <= 9216)
		emit(skb, cfg, o, at, dir, l2len, caplen, 9216);
	else if (caplen <= 65600) /* a GSO packet: 64 KiB of IP plus headers */
		emit(skb, cfg, o, at, dir, l2len, caplen, 65600);
	else if (caplen <= 131072) /* larger GSO packets (loopback's reach ~96 KiB): half the room of the last class */
		emit(skb, cfg, o, at, dir, l2len, caplen, 131072);
	else /* BIG TCP's largest */
		emit(skb, cfg, o, at, dir, l2len, caplen, WT_PKT_MAX_SNAP);
}

/* The flow of the IP packet at `off`, as the socket on the local side sees it (local = source when
 * local_is_src). False for what is not IPv4/IPv6. */
static __always_inline bool parse_flow(struct __sk_buff *skb, __u32 off, bool local_is_src, struct wt_flow_key *k)
{
	__u8 b0 = 0;
	if (bpf_skb_load_bytes(skb, off, &b0, 1) < 0)
		return false;
	__u32 l4;
	if ((b0 >> 4) == 4) {
		struct iphdr ip;
		if (bpf_skb_load_bytes(skb, off, &ip, sizeof(ip)) < 0)
			return false;
		k->family = 4;
		k->proto = ip.protocol;
		k->laddr[0] = local_is_src ? ip.saddr : ip.daddr;
		k->raddr[0] = local_is_src ? ip.daddr : ip.saddr;
		if (ip.frag_off & bpf_htons(0x1fff))
			return true; /* a later fragment: no ports */
		l4 = off + ip.ihl * 4;
	} else if ((b0 >> 4) == 6) {
		struct ipv6hdr ip6;
		if (bpf_skb_load_bytes(skb, off, &ip6, sizeof(ip6)) < 0)
			return false;
		k->family = 6;
		k->proto = ip6.nexthdr;
		__builtin_memcpy(k->laddr, local_is_src ? &ip6.saddr : &ip6.daddr, 16);
		__builtin_memcpy(k->raddr, local_is_src ? &ip6.daddr : &ip6.saddr, 16);
		l4 = off + sizeof(ip6);
	} else {
		return false;
	}
	if (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) {
		__u16 ports[2];
		if (bpf_skb_load_bytes(skb, l4 & 0xffff, ports, sizeof(ports)) == 0) {
			k->lport = local_is_src ? ports[0] : ports[1];
			k->rport = local_is_src ? ports[1] : ports[0];
		}
	}
	return true;
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
		/* sent from process context: the sender is `current`. The full owner record (start time,
		 * netns...: ~500 ns) is rebuilt only when what can change has changed: another thread or
		 * process (fork), a new name (exec, prctl), another uid (setuid) or cgroup (migration). */
		__u64 id = bpf_get_current_pid_tgid();
		if ((id >> 32) != 0) {
			struct wt_pkt_owner *known = bpf_map_lookup_elem(&pkt_owners, &cookie);
			if (known) {
				cur = *known; /* a copy: an LRU slot can be reused under us */
				o = &cur;
			}
			/* the task's name and uid read in place (no helper calls: this runs per packet) */
			struct task_struct *t = bpf_get_current_task_btf();
			__u64 c0 = 0, c1 = 0;
			__builtin_memcpy(&c0, t->comm, 8);
			__builtin_memcpy(&c1, t->comm + 8, 8);
			if (!o || o->tgid != (id >> 32) || o->tid != (__u32)id
			    || o->uid != t->cred->uid.val
			    || o->cgroup_id != bpf_get_current_cgroup_id()
			    || c0 != *(__u64 *)o->comm || c1 != *(__u64 *)(o->comm + 8)) {
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
			struct wt_pkt_port_key pk = {.family = sk->family, .proto = sk->protocol, .port = sk->src_port,
						     .netns = tcp_netns(sk)};
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

	if (cfg->tc) {
		/* the tc hooks emit; remember who owns this flow for them (only when that changes) */
		struct wt_flow_key k = {};
		if (o && o->tgid && parse_flow(skb, 0, out, &k)) {
			struct wt_pkt_owner *f = bpf_map_lookup_elem(&pkt_flows, &k);
			if (!f || f->tgid != o->tgid || f->tid != o->tid)
				bpf_map_update_elem(&pkt_flows, &k, o, BPF_ANY);
		}
		return 1;
	}
	if (!cfg->capture)
		return 1;
	/* the cgroup of a full socket (creator's; accepted sockets: the listener's) */
	struct wt_pkt_where at = {.cookie = cookie, .sk_cgroup = sk ? bpf_skb_cgroup_id(skb) : 0};
	if (!wanted(cfg, cookie, o, at.sk_cgroup))
		return 1;
	__u32 verdict = cfg->cbpf ? cbpf_verdict(skb, 0) : CBPF_ACCEPT;
	if (verdict == CBPF_REJECT)
		return 1;
	/* only for what is emitted: names the device's namespace (a TCP socket's own, else its owner's) */
	at.netns = tcp_netns(sk);
	if (!at.netns && o)
		at.netns = o->netns;

	emit_sized(skb, cfg, o, &at, out, 0, verdict);
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

/*
 * tc (tcx) hooks on interfaces chosen with -i: every packet the device carries, also forwarded
 * traffic and packets no local socket owns (ARP, ICMP errors). Owner: the socket's, when the skb
 * still has one (local egress), else the flow's as recorded by cgroup_skb, tried from either end
 * (a forwarded packet's local end may be its source or its destination).
 */
static __always_inline int on_tc(struct __sk_buff *skb, bool out)
{
	__u32 zero = 0;
	struct wt_pkt_cfg *cfg = bpf_map_lookup_elem(&pkt_cfg, &zero);
	if (!cfg || !cfg->capture)
		return TC_NEXT;
	__u32 ifindex = skb->ifindex;
	__u32 *l2 = bpf_map_lookup_elem(&pkt_tc_ifs, &ifindex);
	if (!l2)
		return TC_NEXT;
	__u32 l2len = *l2 & 0xff;
	__u64 cookie = bpf_get_socket_cookie(skb);
	struct wt_pkt_owner *o = cookie ? bpf_map_lookup_elem(&pkt_owners, &cookie) : NULL;
	if (!o) {
		struct wt_flow_key k = {};
		if (parse_flow(skb, l2len, out, &k)) {
			o = bpf_map_lookup_elem(&pkt_flows, &k);
			if (!o) {
				struct wt_flow_key r = {};
				parse_flow(skb, l2len, !out, &r);
				o = bpf_map_lookup_elem(&pkt_flows, &r);
			}
		}
	}
	/* devices given with -i are in wiretop's namespace: netns 0 */
	struct wt_pkt_where at = {.cookie = cookie};
	if (!wanted(cfg, cookie, o, 0))
		return TC_NEXT;
	__u32 verdict = cfg->cbpf ? cbpf_verdict(skb, l2len) : CBPF_ACCEPT;
	if (verdict != CBPF_REJECT)
		emit_sized(skb, cfg, o, &at, out, l2len, verdict);
	return TC_NEXT;
}

SEC("tc")
int wt_tc_ingress(struct __sk_buff *skb)
{
	return on_tc(skb, false);
}

SEC("tc")
int wt_tc_egress(struct __sk_buff *skb)
{
	return on_tc(skb, true);
}
