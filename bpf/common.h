/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Helpers every wiretop BPF object shares: process identity and loss counting. */
#ifndef WIRETOP_COMMON_H
#define WIRETOP_COMMON_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "wire.h"

#define AF_INET 2
#define AF_INET6 10

/* Per-CPU so that counting a loss never contends; user space sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WT_LOST_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Adds one to slot idx of a per-CPU counter array (no atomics: only this CPU writes its copy). */
static __always_inline void count_in(void *percpu_counters, __u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(percpu_counters, &idx);
	if (v)
		(*v)++;
}

static __always_inline void count_lost(__u32 idx)
{
	count_in(&lost, idx);
}

/* The caller's process: tgid plus its group leader's boot-time start, which tells reused pids apart. */
static __always_inline void current_process(__u32 *tgid, __u64 *start_ns)
{
	struct task_struct *t = bpf_get_current_task_btf();
	*tgid = t->tgid;
	*start_ns = t->group_leader->start_boottime;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif
