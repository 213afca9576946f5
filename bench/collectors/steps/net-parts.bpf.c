// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The NET hot path taken apart (issue 10's measurements): built with -DLEVEL=N, each level adds one
 * part to what sock_send_length/sock_recv_length run per event, so bpf_stats' ns per run of
 * consecutive levels, measured in one run (progcost -s), gives each part's cost:
 *   0  return at once (the floor: dispatch is not in run_time_ns, the statistics' own clock reads are)
 *   1  ret > 0 and family AF_INET/AF_INET6 (sk's first cache line)
 *   2  + the caller's tgid and group leader start time (what the owner check reads)
 *   3  + bpf_sk_storage_get of a per-socket record (the socket-local storage step)
 *   4  level 2 + bpf_get_socket_cookie and the slot of the cookie in an array (the table instead)
 *   5  level 4 + plain adds of bytes and ops into the slot
 *   6  level 4 + atomic adds (two threads may share a socket)
 *   7  level 6 with the cookie read from the socket (skc_cookie), the helper only while it is 0
 */
#include "common.h"

struct rec {
	__u64 c[12];
};
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct rec);
} socks SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WT_SLOTS);
	__type(key, __u32);
	__type(value, struct wt_slot);
} slots SEC(".maps");
volatile __u64 sink;

static __always_inline void account(struct sock *sk, int ret, bool out)
{
#if LEVEL >= 1
	if (ret <= 0)
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
#endif
#if LEVEL >= 2
	struct task_struct *t = bpf_get_current_task_btf();
	sink = t->tgid + t->group_leader->start_boottime;
#endif
#if LEVEL == 3
	struct rec *r = bpf_sk_storage_get(&socks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (r)
		sink = r->c[0];
#endif
#if LEVEL >= 4
#if LEVEL == 7
	__u64 cookie = sk->__sk_common.skc_cookie.counter;
	if (!cookie)
		cookie = bpf_get_socket_cookie(sk);
#else
	__u64 cookie = bpf_get_socket_cookie(sk);
#endif
	__u32 idx = cookie & (WT_SLOTS - 1);
	struct wt_slot *s = bpf_map_lookup_elem(&slots, &idx);
	if (!s)
		return;
	sink = s->cookie;
#endif
#if LEVEL == 5
	if (out) {
		s->bytes_out += ret;
		s->ops_out++;
	} else {
		s->bytes_in += ret;
		s->ops_in++;
	}
#endif
#if LEVEL >= 6
	if (out) {
		__sync_fetch_and_add(&s->bytes_out, ret);
		__sync_fetch_and_add(&s->ops_out, 1);
	} else {
		__sync_fetch_and_add(&s->bytes_in, ret);
		__sync_fetch_and_add(&s->ops_in, 1);
	}
#endif
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
	account(sk, ret, false);
	return 0;
}
