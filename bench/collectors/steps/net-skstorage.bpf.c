// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Step 1 of issue 10 (measured, not kept): per-socket counters in socket-local storage (BPF_MAP_TYPE_SK_STORAGE), read by an iterator; see docs/benchmarks.md. */
/*
 * NET accounting: payload bytes of socket I/O per (process, socket), counted in the kernel.
 * sock_send_length/sock_recv_length fire once per successful socket syscall in the caller's
 * context, so the pid is exact. User space reads the counters once per refresh tick (no wake-up
 * per event).
 *
 * The counters live in the socket itself (socket-local storage): finding them is a pointer walk
 * from the struct sock, where a hash map keyed by (process, socket) cost a hash of 24 bytes and a
 * bucket walk per syscall (bpf_stats: ~135 ns per run before, see docs/benchmarks.md, issue 10).
 * A socket's storage belongs to the process that did its first I/O; another process using the same
 * socket (a forked server, a passed fd) is counted in the `conns` hash under its own key, as
 * before. Socket storage dies with the socket, so when the socket file is released (the last
 * close, or the process's exit) cgroup/sock_release copies the owner's final counts into `conns`;
 * user space reads both (iter/bpf_sk_storage_map for the storage) and, the counts being
 * cumulative, takes the larger of the two copies of an owner's counts.
 */
#include "common.h"

/* this step's socket storage record (not in wire.h: the committed collector does not use it) */
struct wt_sock_rec {
	struct wt_conn_key key;
	struct wt_conn_val val;
};
#define WT_CONN_RELEASED 2

/* Per-socket counters of the socket's owner; the record the iterator hands to user space. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct wt_sock_rec);
} socks SEC(".maps");

/* (process, socket) counters of processes that use a socket another process owns, and the final
 * counts of released sockets (WT_CONN_RELEASED). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_conn_key);
	__type(value, struct wt_conn_val);
} conns SEC(".maps");

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

static __always_inline void add(struct wt_conn_val *v, int ret, bool out)
{
	/* atomic: two threads of one process may use one socket on two CPUs at once */
	if (out) {
		__sync_fetch_and_add(&v->bytes_out, ret);
		__sync_fetch_and_add(&v->ops_out, 1);
	} else {
		__sync_fetch_and_add(&v->bytes_in, ret);
		__sync_fetch_and_add(&v->ops_in, 1);
	}
}

static __always_inline void init_val(struct wt_conn_val *v, struct sock *sk, __u16 family, __u64 cookie)
{
	fill_tuple(v, sk, family);
	if (bpf_map_lookup_elem(&passive, &cookie))
		v->flags |= WT_CONN_PASSIVE;
}

/* A process that is not the socket's owner: counted per (process, socket) in the hash, as before. */
static __noinline void account_shared(struct sock *sk, __u64 cookie, int ret, bool out, __u16 family)
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
		fill_tuple(v, sk, family);
	}
	add(v, ret, out);
}

/* First I/O on a socket: its storage, owned by the caller. */
static __noinline struct wt_sock_rec *claim(struct sock *sk, __u32 tgid, __u64 start_ns, __u16 family)
{
	struct wt_sock_rec init = {};
	init.key.tgid = tgid;
	init.key.start_ns = start_ns;
	init.key.cookie = bpf_get_socket_cookie(sk);
	init_val(&init.val, sk, family, init.key.cookie);
	struct wt_sock_rec *s = bpf_sk_storage_get(&socks, sk, &init, BPF_SK_STORAGE_GET_F_CREATE);
	if (!s) /* another CPU created it first, or no memory */
		s = bpf_sk_storage_get(&socks, sk, 0, 0);
	if (!s)
		count_lost(WT_LOST_CONN_MAP);
	return s;
}

static __always_inline void account(struct sock *sk, int ret, bool out)
{
	if (ret <= 0)
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = t->tgid;
	__u64 start_ns = t->group_leader->start_boottime;

	struct wt_sock_rec *s = bpf_sk_storage_get(&socks, sk, 0, 0);
	if (!s) {
		s = claim(sk, tgid, start_ns, family);
		if (!s)
			return;
	}
	if (s->key.tgid != tgid || s->key.start_ns != start_ns) {
		account_shared(sk, s->key.cookie, ret, out, family);
		return;
	}
	if (s->val.rport == 0 && sk->__sk_common.skc_dport != 0) /* a UDP socket connected after its first I/O */
		fill_tuple(&s->val, sk, family);
	add(&s->val, ret, out);
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
 * The socket file is released (last close, or exit): no syscall counts on it any more, and its
 * storage goes when the socket does, so the owner's final counts move to `conns` now.
 */
SEC("cgroup/sock_release")
int wt_sock_release(struct bpf_sock *ctx)
{
	struct wt_sock_rec *s = bpf_sk_storage_get(&socks, ctx, 0, 0);
	if (s) {
		struct wt_conn_val v = s->val;
		v.flags |= WT_CONN_RELEASED;
		if (bpf_map_update_elem(&conns, &s->key, &v, BPF_ANY))
			count_lost(WT_LOST_CONN_MAP);
	}
	return 1;
}

/* User space reads every socket's storage through this iterator: one wt_sock_rec per socket. */
SEC("iter/bpf_sk_storage_map")
int wt_socks_dump(struct bpf_iter__bpf_sk_storage_map *ctx)
{
	struct wt_sock_rec *s = ctx->value;
	if (s)
		bpf_seq_write(ctx->meta->seq, s, sizeof(*s));
	return 0;
}
