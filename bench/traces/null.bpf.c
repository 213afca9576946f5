// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The floor of a syscall hook (bench/traces/run.sh configurations N, NE, NX): the same hooks as
 * bpf/evt.bpf.c's syscall programs, returning at once. What they cost the workload is the kernel's
 * syscall slow path plus the trampoline, which no program body on these hooks can avoid. Test-only:
 * run.sh builds it into its scratch directory; it is never embedded in the jar.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sys_enter")
int BPF_PROG(null_sys_enter, struct pt_regs *regs, long nr)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(null_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
