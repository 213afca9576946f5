// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * NET accounting: payload bytes of socket I/O per (process, socket), counted in the kernel.
 * sock_send_length/sock_recv_length fire once per successful socket syscall in the caller's
 * context, so the pid is exact. User space reads the counters once per refresh tick (no wake-up
 * per event).
 *
 * This runs for every send and receive on the machine, so of its own data it touches one cache
 * line (docs/benchmarks.md, issue 10, has the measured steps): a socket's counters sit in the slot
 * `cookie % WT_SLOTS` of an array, which the verifier turns into an address computation (a hash
 * map cost a hash of the 24-byte key and a bucket walk, socket-local storage a helper call and
 * three dependent loads). A slot belongs to the socket's owner, the process of its first I/O.
 * Everything else goes to the `conns` hash under (process, socket), as before: a process using a
 * socket it does not own (a forked server, a passed fd), and a socket whose slot is taken by another.
 * When a socket file is released (its last close, or its process's exit) no syscall can count on it
 * any more: cgroup/sock_release copies its slot into `released` and frees the slot. User space reads
 * all three; an owner's counts are cumulative, so of a slot and its released copy it takes the larger.
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WT_SLOTS);
	__uint(map_flags, BPF_F_MMAPABLE); /* user space reads it in place, without a copy */
	__type(key, __u32);
	__type(value, struct wt_slot);
} slots SEC(".maps");

/* The 5-tuple and flags of each slot's socket (its counters unused): written when a slot is
 * claimed, read by user space once per new socket. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WT_SLOTS);
	__type(key, __u32);
	__type(value, struct wt_conn_val);
} slot_tuples SEC(".maps");

/* (process, socket) counters of what has no slot: non-owners and sockets whose slot is taken. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_conn_key);
	__type(value, struct wt_conn_val);
} conns SEC(".maps");

/* The owner's final counts of released sockets that had a slot; user space deletes them once read. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_conn_key);
	__type(value, struct wt_conn_val);
} released SEC(".maps");

/* Cookies of TCP sockets that reached TCP_CLOSE: user space reads their last counts, then deletes. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} closed SEC(".maps");

/* Cookies of TCP sockets that were accepted (SYN_RECV -> ESTABLISHED): their process is the server. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} passive SEC(".maps");

/* The table's size less one (a power of two): WT_SLOTS; a test makes it tiny to force collisions. */
const volatile __u32 slot_mask = WT_SLOTS - 1;
/* 1: no table, every socket in the hash (no cgroup v2 for the release hook); the verifier drops the
 * branch not taken, the value being known at load. */
const volatile __u32 slots_off = 0;

#define MSG_PEEK 2
#define TCP_ESTABLISHED 1
#define TCP_SYN_RECV 3
#define TCP_CLOSE 7

static __always_inline void fill_tuple(struct wt_conn_val *v, struct sock *sk, __u16 family)
{
	v->family = family;
	v->proto = sk->sk_protocol;
	v->lport = sk->__sk_common.skc_num;
	v->rport = __builtin_bswap16(sk->__sk_common.skc_dport);
	if (family == AF_INET) {
		__builtin_memcpy(v->laddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(v->raddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		bpf_probe_read_kernel(v->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(v->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline void init_val(struct wt_conn_val *v, struct sock *sk, __u16 family, __u64 cookie)
{
	fill_tuple(v, sk, family);
	if (bpf_map_lookup_elem(&passive, &cookie))
		v->flags |= WT_CONN_PASSIVE;
}

/* What has no slot: counted per (process, socket) in the hash. */
static __noinline void account_hashed(struct sock *sk, __u64 cookie, int ret, bool out, __u16 family)
{
	struct wt_conn_key key = {.cookie = cookie};
	current_process(&key.tgid, &key.start_ns);
	struct wt_conn_val *v = bpf_map_lookup_elem(&conns, &key);
	if (!v) {
		struct wt_conn_val init = {};
		init_val(&init, sk, family, cookie);
		/* EEXIST from a racing CPU is fine: the lookup below finds its entry */
		bpf_map_update_elem(&conns, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&conns, &key);
		if (!v) {
			count_lost(WT_LOST_CONN_MAP);
			return;
		}
	} else if (v->rport == 0 && sk->__sk_common.skc_dport != 0) {
		fill_tuple(v, sk, family); /* a UDP socket connected after its first I/O: take the peer now */
	}
	if (out) {
		__sync_fetch_and_add(&v->bytes_out, ret);
		__sync_fetch_and_add(&v->ops_out, 1);
	} else {
		__sync_fetch_and_add(&v->bytes_in, ret);
		__sync_fetch_and_add(&v->ops_in, 1);
	}
}

/*
 * A free slot (cookie 0) becomes this socket's by a compare-and-swap of its cookie; the release
 * hook zeroed the rest before it freed the slot. Until the owner is written, another thread of the
 * same socket sees a slot that is not its own and counts in the hash: exact either way.
 */
static __noinline int claim(struct wt_slot *s, struct sock *sk, __u64 cookie, __u16 family, __u32 idx)
{
	if (__sync_val_compare_and_swap(&s->cookie, 0, cookie) != 0)
		return 0;
	struct wt_conn_val *tv = bpf_map_lookup_elem(&slot_tuples, &idx);
	if (tv) {
		struct wt_conn_val init = {};
		init_val(&init, sk, family, cookie);
		*tv = init;
		s->rport = init.rport;
	}
	struct task_struct *t = bpf_get_current_task_btf();
	s->start_ns = t->group_leader->start_boottime;
	asm volatile("" ::: "memory"); /* the owner last: stores are not reordered (x86 is TSO), nor by clang */
	s->tgid = t->tgid;
	return 1;
}

static __always_inline void account(struct sock *sk, int ret, bool out)
{
	if (ret <= 0)
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	/* the cookie is set once and never changes: read it, and call the helper (which sets it) only
	 * while it is 0; the helper call cost ~15 ns per event here (bench/collectors/steps, LEVEL 7) */
	__u64 cookie = sk->__sk_common.skc_cookie.counter;
	if (!cookie)
		cookie = bpf_get_socket_cookie(sk);
	if (slots_off) {
		account_hashed(sk, cookie, ret, out, family);
		return;
	}
	__u32 idx = cookie & slot_mask;
	struct wt_slot *s = bpf_map_lookup_elem(&slots, &idx);
	if (!s)
		return;
	if (s->cookie != cookie && (s->cookie != 0 || !claim(s, sk, cookie, family, idx))) {
		account_hashed(sk, cookie, ret, out, family);
		return;
	}
	struct task_struct *t = bpf_get_current_task_btf();
	if (s->tgid != t->tgid || s->start_ns != t->group_leader->start_boottime) {
		account_hashed(sk, cookie, ret, out, family);
		return;
	}
	if (s->rport == 0 && sk->__sk_common.skc_dport != 0) {
		/* a UDP socket connected after its first I/O: take the peer now */
		struct wt_conn_val *tv = bpf_map_lookup_elem(&slot_tuples, &idx);
		if (tv) {
			fill_tuple(tv, sk, family);
			s->rport = tv->rport;
		}
	}
	/* atomic: two threads of one process may use one socket on two CPUs at once */
	if (out) {
		__sync_fetch_and_add(&s->bytes_out, ret);
		__sync_fetch_and_add(&s->ops_out, 1);
	} else {
		__sync_fetch_and_add(&s->bytes_in, ret);
		__sync_fetch_and_add(&s->ops_in, 1);
	}
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(wt_sock_send, struct sock *sk, int ret, int flags)
{
	account(sk, ret, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(wt_sock_recv, struct sock *sk, int ret, int flags)
{
	if (flags & MSG_PEEK) /* peeked bytes are read again later */
		return 0;
	account(sk, ret, false);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(wt_sock_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV) {
		__u64 cookie = bpf_get_socket_cookie((void *)sk);
		__u8 one = 1;
		bpf_map_update_elem(&passive, &cookie, &one, BPF_ANY);
	} else if (newstate == TCP_CLOSE) {
		__u64 cookie = bpf_get_socket_cookie((void *)sk);
		__u64 now = bpf_ktime_get_ns();
		bpf_map_update_elem(&closed, &cookie, &now, BPF_ANY);
		bpf_map_delete_elem(&passive, &cookie);
	}
	return 0;
}

/*
 * The socket file is released (its last close, or its process's exit): no syscall can count on it
 * any more (one in flight holds the file), so its slot's final counts go to `released` and the
 * slot is freed for the next socket. Runs for every inet socket of every cgroup (attached at the root).
 */
SEC("cgroup/sock_release")
int wt_sock_release(struct bpf_sock *ctx)
{
	__u64 cookie = bpf_get_socket_cookie(ctx);
	__u32 idx = cookie & slot_mask;
	struct wt_slot *s = bpf_map_lookup_elem(&slots, &idx);
	if (!s || s->cookie != cookie)
		return 1;
	struct wt_conn_val *tv = bpf_map_lookup_elem(&slot_tuples, &idx);
	if (s->tgid && tv) {
		struct wt_conn_key key = {.tgid = s->tgid, .start_ns = s->start_ns, .cookie = cookie};
		struct wt_conn_val v = *tv;
		v.bytes_in = s->bytes_in;
		v.bytes_out = s->bytes_out;
		v.ops_in = s->ops_in;
		v.ops_out = s->ops_out;
		if (bpf_map_update_elem(&released, &key, &v, BPF_ANY))
			count_lost(WT_LOST_CONN_MAP);
	}
	s->tgid = 0;
	s->start_ns = 0;
	s->rport = 0;
	s->bytes_in = 0;
	s->bytes_out = 0;
	s->ops_in = 0;
	s->ops_out = 0;
	__sync_lock_test_and_set(&s->cookie, 0); /* last, and a full barrier: free only once zeroed */
	return 1;
}
