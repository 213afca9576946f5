// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Step 0 of issue 10: the NET collector before (a hash keyed by (tgid, start, cookie), atomics); see docs/benchmarks.md. */
/*
 * NET accounting: payload bytes of socket I/O per (process, socket), counted in the kernel.
 * sock_send_length/sock_recv_length fire once per successful socket syscall in the caller's
 * context, so the pid is exact and the cost is one hash update per syscall, not per packet.
 * User space reads the map once per refresh tick (no wake-up per event).
 */
#include "common.h"

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

static __always_inline void account(struct sock *sk, int ret, bool out)
{
	if (ret <= 0)
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;

	struct wt_conn_key key = {};
	current_process(&key.tgid, &key.start_ns);
	key.cookie = bpf_get_socket_cookie(sk);

	struct wt_conn_val *v = bpf_map_lookup_elem(&conns, &key);
	if (!v) {
		struct wt_conn_val init = {};
		fill_tuple(&init, sk, family);
		if (bpf_map_lookup_elem(&passive, &key.cookie))
			init.flags |= WT_CONN_PASSIVE;
		/* EEXIST from a racing CPU is fine: the lookup below finds its entry */
		bpf_map_update_elem(&conns, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&conns, &key);
		if (!v) {
			count_lost(WT_LOST_CONN_MAP);
			return;
		}
	} else if (v->rport == 0 && sk->__sk_common.skc_dport != 0) {
		/* a UDP socket connected after its first I/O: take the peer now */
		fill_tuple(v, sk, family);
	}
	if (out) {
		__sync_fetch_and_add(&v->bytes_out, ret);
		__sync_fetch_and_add(&v->ops_out, 1);
	} else {
		__sync_fetch_and_add(&v->bytes_in, ret);
		__sync_fetch_and_add(&v->ops_in, 1);
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
