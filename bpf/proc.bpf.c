// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Process lifecycle: exec, fork (new processes only) and whole-process exit, as records in a
 * ring buffer. A process that lives 50 ms between two refresh ticks is still named (exec carries
 * comm and argv) and its exit tells user space when to drop its row.
 * Records are submitted without a wake-up: user space drains the ring on its own timer, so a
 * fork storm costs no IPIs (performance-facts.md: per-record wake-ups cost 1-3 us each).
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} proc_events SEC(".maps");

static __always_inline struct wt_proc_event *reserve(__u32 type, struct task_struct *p)
{
	struct wt_proc_event *e = bpf_ringbuf_reserve(&proc_events, sizeof(*e), 0);
	if (!e) {
		count_lost(WT_LOST_RINGBUF);
		return 0;
	}
	e->type = type;
	e->tgid = p->tgid;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->uid = BPF_CORE_READ(p, cred, uid.val);
	e->start_ns = BPF_CORE_READ(p, group_leader, start_boottime);
	e->ts_ns = bpf_ktime_get_ns();
	e->exit_code = 0;
	e->args_len = 0;
	e->args[0] = 0;
	BPF_CORE_READ_STR_INTO(&e->comm, p, comm);
	return e;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(wt_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct wt_proc_event *e = reserve(WT_EV_EXEC, p);
	if (!e)
		return 0;
	unsigned long start = BPF_CORE_READ(p, mm, arg_start);
	unsigned long end = BPF_CORE_READ(p, mm, arg_end);
	unsigned long len = end - start;
	if (len > WT_ARGS_LEN)
		len = WT_ARGS_LEN;
	if (len > 0 && bpf_probe_read_user(e->args, len, (void *)start) == 0)
		e->args_len = len;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(wt_fork, struct task_struct *parent, struct task_struct *child)
{
	if (child->pid != child->tgid) /* a new thread, not a new process */
		return 0;
	struct wt_proc_event *e = reserve(WT_EV_FORK, child);
	if (e)
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(wt_exit, struct task_struct *p)
{
	/* do_exit() decrements signal->live before this tracepoint: 0 means the last thread left */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	struct wt_proc_event *e = reserve(WT_EV_EXIT, p);
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(p, signal, group_exit_code) ? BPF_CORE_READ(p, signal, group_exit_code) : p->exit_code;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}
