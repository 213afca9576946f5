// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscall accounting: calls per (process, syscall, errno) and FILE bytes per (process, file).
 * One sys_exit hook serves both: the syscall number and the fd argument are still in pt_regs at
 * exit. Attaching any syscall tracepoint moves every syscall of every task onto the traced slow
 * path (performance-facts.md, D), so this object is optional: `--no-syscalls` leaves it out.
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_sys_key);
	__type(value, __u64);
} sys_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct wt_file_key);
	__type(value, struct wt_file_val);
} file_io SEC(".maps");

/* x86_64 syscall numbers of the read/write family (fd is the first argument) */
#define NR_read 0
#define NR_write 1
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_preadv 295
#define NR_pwritev 296
#define NR_preadv2 327
#define NR_pwritev2 328
#define S_IFMT 00170000
#define S_IFREG 0100000

static __always_inline int io_direction(long nr)
{
	switch (nr) {
	case NR_read: case NR_pread64: case NR_readv: case NR_preadv: case NR_preadv2:
		return 1;
	case NR_write: case NR_pwrite64: case NR_writev: case NR_pwritev: case NR_pwritev2:
		return 2;
	}
	return 0;
}

static __always_inline void account_file(struct task_struct *t, __u32 tgid, __u64 start, int fd, long ret, int dir)
{
	struct files_struct *files = t->files;
	struct fdtable *fdt = BPF_CORE_READ(files, fdt);
	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	if ((BPF_CORE_READ(ino, i_mode) & S_IFMT) != S_IFREG)
		return;
	struct wt_file_key k = { .tgid = tgid, .start_ns = start };
	k.dev = BPF_CORE_READ(ino, i_sb, s_dev);
	k.ino = BPF_CORE_READ(ino, i_ino);
	struct wt_file_val *v = bpf_map_lookup_elem(&file_io, &k);
	if (!v) {
		struct wt_file_val init = { .last_fd = fd };
		bpf_map_update_elem(&file_io, &k, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&file_io, &k);
		if (!v) {
			count_lost(WT_LOST_FILE_MAP);
			return;
		}
	}
	if (dir == 1)
		__sync_fetch_and_add(&v->bytes_in, ret);
	else
		__sync_fetch_and_add(&v->bytes_out, ret);
	__sync_fetch_and_add(&v->ops, 1);
	v->last_fd = fd;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(wt_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	long nr = regs->orig_ax;
	if (nr < 0)
		return 0;
	struct wt_sys_key k = {};
	k.tgid = t->tgid;
	k.start_ns = t->group_leader->start_boottime;
	k.nr = nr;
	k.err = (ret < 0 && ret >= -4095) ? -ret : 0;
	__u64 *c = bpf_map_lookup_elem(&sys_calls, &k);
	if (c) {
		__sync_fetch_and_add(c, 1);
	} else {
		__u64 one = 1;
		if (bpf_map_update_elem(&sys_calls, &k, &one, BPF_NOEXIST) && !bpf_map_lookup_elem(&sys_calls, &k))
			count_lost(WT_LOST_SYS_MAP);
	}
	int dir = io_direction(nr);
	if (dir && ret > 0)
		account_file(t, k.tgid, k.start_ns, (int)regs->di, ret, dir);
	return 0;
}
