// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syscall event stream: every syscall enter and exit of the selected processes, encoded in the
 * kernel exactly as sysdig's scap files carry events (falcosecurity/libs at e5c53d64, the version
 * sysdig 0.29.3 reads): a packed 26-byte header (u64 epoch ns, u64 tid, u32 len, u16 type,
 * u32 nparams), one u16 length per parameter, then the values. User space only frames them.
 *
 * Selection comes first in every program, so an unselected thread costs one early exit: mode all,
 * a tgid set (children forked by a selected process join it), or a cgroup set (the task's cgroup v2
 * or one of its ancestors). Events are built in a per-CPU scratch buffer and copied to one ring
 * buffer without wake-ups: the consumer polls on a timeout, which batches the wake-ups.
 *
 * Hooks: tp_btf/sys_enter and sys_exit (the syscall arguments are still in pt_regs at exit, so exit
 * events re-read user pointers as sysdig's driver does), sched_process_fork (pid set inheritance)
 * and sched_process_exit (procexit). fentry/kprobes are not available on the project's machines.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define EV_MAX 8192               /* largest event; bigger ones are dropped and counted */
#define EV_MASK (EV_MAX - 1)
#define SNAP_MAX 4096             /* largest snap length user space may set */
#define STR_MAX 1024              /* paths, exe, cwd */
#define ARGS_MAX 1024             /* execve args and env, each */
#define IOV_MAX_READ 8            /* iovecs copied for data; sizes sum up to IOV_SUM */
#define IOV_SUM 32
#define CG_DEPTH 8
#define HDR 26
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10

/* mode bits; 0 (the zeroed map before user space writes it) selects nothing */
#define MODE_PIDS 1
#define MODE_CGROUPS 2
#define MODE_ALL 4

/* written by user space: which threads, how much data, the clock offset */
struct evt_cfg {
	__u32 mode;
	__u32 snaplen;
	__s64 mono_to_epoch;      /* add to bpf_ktime_get_ns() to get Unix epoch ns */
	__u32 self_tgid;          /* the consumer itself: never traced (its writes would feed back) */
	__u32 flags;              /* CFG_* */
};

/*
 * The stream is attached without the sys_enter program (an Echo window, which shows exits' data
 * only): the exit program then sends each syscall's enter event itself, just before its exit, built
 * from the same pt_regs (the arguments are still there), so user space pairs every exit with the
 * enter that names its fd. Its time is the exit's: no latency. An unselected thread's syscall then
 * runs one program instead of two (issue 10: the slow path with both hooks costs ~130 ns per
 * syscall, with sys_exit alone ~72).
 */
#define CFG_ENTER_AT_EXIT 1

/*
 * A global in a section of its own: libbpf makes it a one-entry array map named ".data.cfg" that
 * user space writes like any map, and a program reads it at a fixed address, without the lookup
 * and NULL check a map lookup needs (this runs for every syscall of every thread on the machine).
 */
struct evt_cfg evt_conf SEC(".data.cfg");

/*
 * The selected tgids as a bitmap over PID_MAX_LIMIT (4M pids, 512 KiB): an array lookup is inlined
 * by the verifier (an address computation), where a hash lookup cost about 20 ns per syscall of
 * every unselected thread on the machine (measured with bpf_stats).
 */
#define PID_WORDS 65536
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PID_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} evt_pid_bits SEC(".maps");

static __always_inline __u64 *pid_word(__u32 tgid)
{
	__u32 w = tgid >> 6;
	return bpf_map_lookup_elem(&evt_pid_bits, &w);
}

static __always_inline int pid_selected(__u32 tgid)
{
	__u64 *v = pid_word(tgid);
	return v && ((*v >> (tgid & 63)) & 1);
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
} evt_cgroups SEC(".maps");

/* native x86_64 syscall number -> PPM_SC code (the generic event's ID), filled by user space */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u16);
} evt_sc_codes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} evt_ring SEC(".maps");

/* per CPU: [0] ring full, [1] event larger than EV_MAX or not as declared */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} evt_lost SEC(".maps");

struct scratch {
	__u32 off;                /* where the next value goes */
	__u32 idx;                /* next parameter index */
	__u32 snap;
	__u32 nparams;            /* declared in the header: submit() checks every one was written */
	__u8 buf[EV_MAX * 2];     /* twice EV_MAX: a masked offset plus a bounded length stays inside */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} evt_scratch SEC(".maps");

/* ---------- selection ---------- */

static __always_inline struct evt_cfg *evt_config(void)
{
	return &evt_conf;
}

/*
 * The syscall hooks' early exit, before anything else: in pid mode (the common one), one helper call
 * and one bitmap word decide, so a thread outside the selection pays that and the return. A thread
 * that passes goes on to selected(), which decides exactly (the consumer itself, other modes).
 */
static __always_inline int maybe_selected(void)
{
	__u32 mode = evt_conf.mode;
	if (mode != MODE_PIDS)
		return mode != 0;
	return pid_selected(bpf_get_current_pid_tgid() >> 32);
}

static __always_inline int selected(struct evt_cfg *c, __u32 tgid)
{
	if (tgid == c->self_tgid)
		return 0;
	if (c->mode & MODE_ALL)
		return 1;
	if ((c->mode & MODE_PIDS) && pid_selected(tgid))
		return 1;
	if (c->mode & MODE_CGROUPS) {
		__u64 id = bpf_get_current_cgroup_id();
		if (bpf_map_lookup_elem(&evt_cgroups, &id))
			return 1;
		for (int lvl = 1; lvl <= CG_DEPTH; lvl++) {
			id = bpf_get_current_ancestor_cgroup_id(lvl);
			if (!id)
				break;
			if (bpf_map_lookup_elem(&evt_cgroups, &id))
				return 1;
		}
	}
	return 0;
}

/* ---------- encoding ---------- */

static __always_inline struct scratch *begin(struct evt_cfg *c, __u16 type, __u32 nparams, __u64 tid)
{
	__u32 z = 0;
	struct scratch *s = bpf_map_lookup_elem(&evt_scratch, &z);
	if (!s)
		return 0;
	*(__u64 *)&s->buf[0] = bpf_ktime_get_ns() + c->mono_to_epoch;
	*(__u64 *)&s->buf[8] = tid;
	*(__u16 *)&s->buf[20] = type;
	*(__u32 *)&s->buf[22] = nparams;
	s->idx = 0;
	s->nparams = nparams;
	s->off = HDR + 2 * nparams;
	s->snap = c->snaplen < SNAP_MAX ? c->snaplen : SNAP_MAX;
	return s;
}

static __always_inline void plen(struct scratch *s, __u32 len)
{
	__u32 p = (HDR + 2 * s->idx) & EV_MASK;
	*(__u16 *)&s->buf[p] = len;
	s->idx++;
	s->off += len;
}

static __always_inline void put_u8(struct scratch *s, __u8 v)
{
	s->buf[s->off & EV_MASK] = v;
	plen(s, 1);
}

static __always_inline void put_u16(struct scratch *s, __u16 v)
{
	*(__u16 *)&s->buf[s->off & EV_MASK] = v;
	plen(s, 2);
}

static __always_inline void put_u32(struct scratch *s, __u32 v)
{
	*(__u32 *)&s->buf[s->off & EV_MASK] = v;
	plen(s, 4);
}

static __always_inline void put_u64(struct scratch *s, __u64 v)
{
	*(__u64 *)&s->buf[s->off & EV_MASK] = v;
	plen(s, 8);
}

static __always_inline void put_empty(struct scratch *s)
{
	plen(s, 0);
}

/* a NUL-terminated string from user memory; an unreadable pointer gives "" */
static __always_inline void put_user_str(struct scratch *s, const void *p)
{
	long n = bpf_probe_read_user_str(&s->buf[s->off & EV_MASK], STR_MAX, p);
	if (n <= 0) {
		s->buf[s->off & EV_MASK] = 0;
		n = 1;
	}
	plen(s, n);
}

static __always_inline void put_kernel_str(struct scratch *s, const void *p, __u32 max)
{
	long n = bpf_probe_read_kernel_str(&s->buf[s->off & EV_MASK], max & (STR_MAX - 1), p);
	if (n <= 0) {
		s->buf[s->off & EV_MASK] = 0;
		n = 1;
	}
	plen(s, n);
}

/* raw bytes from user memory, at most the snap length */
static __always_inline void put_user_buf(struct scratch *s, const void *p, long len)
{
	if (len <= 0 || !p) {
		plen(s, 0);
		return;
	}
	__u32 n = len < s->snap ? len : s->snap;
	if (n > SNAP_MAX)
		n = SNAP_MAX;
	if (bpf_probe_read_user(&s->buf[s->off & EV_MASK], n, p))
		n = 0;
	plen(s, n);
}

/* the data of an iovec array, up to total bytes and the snap length */
static __always_inline void put_iov_data(struct scratch *s, const struct iovec *iov, __u64 cnt, long total)
{
	__u32 want = total <= 0 ? 0 : (total < s->snap ? total : s->snap);
	__u32 got = 0;
	for (int i = 0; i < IOV_MAX_READ; i++) {
		if (i >= cnt || got >= want)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		__u32 chunk = want - got;
		if (v.iov_len < chunk)
			chunk = v.iov_len;
		if (chunk > SNAP_MAX)
			chunk = SNAP_MAX;
		if (bpf_probe_read_user(&s->buf[(s->off + got) & EV_MASK], chunk, v.iov_base))
			break;
		got += chunk;
	}
	plen(s, got);
}

static __always_inline __u64 iov_total(const struct iovec *iov, __u64 cnt)
{
	__u64 sum = 0;
	for (int i = 0; i < IOV_SUM; i++) {
		if (i >= cnt)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		sum += v.iov_len;
	}
	return sum;
}

static __always_inline void submit(struct scratch *s)
{
	__u32 len = s->off;
	__u32 k = 1;
	/* too big, or fewer/more values than the header declares (a bug: never let it corrupt a file) */
	if (len > EV_MAX - 2 || s->idx != s->nparams) { /* room for the CPU after it, under the 0x1fff mask */
		__u64 *v = bpf_map_lookup_elem(&evt_lost, &k);
		if (v)
			(*v)++;
		return;
	}
	*(__u32 *)&s->buf[16] = len;
	/* the CPU follows the event (outside its len): the scap block carries it */
	__u32 at = len;
	asm volatile("%[a] &= 0x1fff" : [a] "+r"(at)); /* a bound the compiler cannot fold away */
	*(__u16 *)&s->buf[at] = bpf_get_smp_processor_id();
	if (len < HDR)
		return;
	__u32 out = len + 2;
	/* keeps the bound where the verifier sees it (the compiler may otherwise fold it away) */
	asm volatile("%[o] &= 0x1fff" : [o] "+r"(out));
	if (!out || bpf_ringbuf_output(&evt_ring, s->buf, out, BPF_RB_NO_WAKEUP)) {
		k = 0;
		__u64 *v = bpf_map_lookup_elem(&evt_lost, &k);
		if (v)
			(*v)++;
	}
}

/* ---------- kernel objects ---------- */

#define S_IFMT 00170000
#define S_IFSOCK 0140000

static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	if (fd < 0)
		return 0;
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt || (unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline struct sock *fd_sock(struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
	if (!f)
		return 0;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return 0;
	struct socket *so = BPF_CORE_READ(f, private_data);
	return so ? BPF_CORE_READ(so, sk) : 0;
}

/* sysdig's dev encoding (new_encode_dev) of a file's device */
static __always_inline __u32 fd_dev(struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
	if (!f)
		return 0;
	__u32 dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	__u32 major = dev >> 20, minor = dev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

static __always_inline __u16 bswap16(__u16 v)
{
	return (v >> 8) | (v << 8);
}

/*
 * PT_SOCKADDR from a user sockaddr: IPv4 u8 2, u32 addr, u16 port; IPv6 u8 10, 16 bytes, u16 port;
 * unix u8 1, path, NUL (ports in host order, addresses as in the sockaddr).
 */
static __always_inline void put_user_sockaddr(struct scratch *s, const void *uaddr, long ulen)
{
	__u16 fam = 0;
	if (!uaddr || ulen < 2 || bpf_probe_read_user(&fam, 2, uaddr)) {
		plen(s, 0);
		return;
	}
	__u32 o = s->off;
	if (fam == AF_INET) {
		struct sockaddr_in a = {};
		bpf_probe_read_user(&a, sizeof(a), uaddr);
		s->buf[o & EV_MASK] = 2;
		*(__u32 *)&s->buf[(o + 1) & EV_MASK] = a.sin_addr.s_addr;
		*(__u16 *)&s->buf[(o + 5) & EV_MASK] = bswap16(a.sin_port);
		plen(s, 7);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 a = {};
		bpf_probe_read_user(&a, sizeof(a), uaddr);
		s->buf[o & EV_MASK] = 10;
		__builtin_memcpy(&s->buf[(o + 1) & EV_MASK], &a.sin6_addr, 16);
		*(__u16 *)&s->buf[(o + 17) & EV_MASK] = bswap16(a.sin6_port);
		plen(s, 19);
	} else if (fam == AF_UNIX) {
		s->buf[o & EV_MASK] = 1;
		long n = bpf_probe_read_user_str(&s->buf[(o + 1) & EV_MASK], 108, (const char *)uaddr + 2);
		if (n <= 0) {
			s->buf[(o + 1) & EV_MASK] = 0;
			n = 1;
		}
		plen(s, 1 + n);
	} else {
		plen(s, 0);
	}
}

/*
 * PT_SOCKTUPLE of a socket, as the driver's fd_to_socktuple builds it: outbound (connect, sendto,
 * sendmsg) local -> peer; inbound (accept, recvfrom, recvmsg) peer -> local. The peer comes from
 * the user's address when the call gave one (unconnected UDP), else from the socket.
 */
static __always_inline void put_tuple(struct scratch *s, struct sock *sk, int inbound, const void *uaddr, long ulen)
{
	if (!sk) {
		plen(s, 0);
		return;
	}
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 ufam = 0;
	if (uaddr && ulen >= 2)
		bpf_probe_read_user(&ufam, 2, uaddr);
	__u32 o = s->off;
	if (fam == AF_INET) {
		__u32 lip = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u32 rip = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 rport = bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (ufam == AF_INET) {
			struct sockaddr_in a = {};
			bpf_probe_read_user(&a, sizeof(a), uaddr);
			rip = a.sin_addr.s_addr;
			rport = bswap16(a.sin_port);
		}
		s->buf[o & EV_MASK] = 2;
		*(__u32 *)&s->buf[(o + 1) & EV_MASK] = inbound ? rip : lip;
		*(__u16 *)&s->buf[(o + 5) & EV_MASK] = inbound ? rport : lport;
		*(__u32 *)&s->buf[(o + 7) & EV_MASK] = inbound ? lip : rip;
		*(__u16 *)&s->buf[(o + 11) & EV_MASK] = inbound ? lport : rport;
		plen(s, 13);
	} else if (fam == AF_INET6) {
		struct in6_addr lip = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		struct in6_addr rip = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (ufam == AF_INET6) {
			struct sockaddr_in6 a = {};
			bpf_probe_read_user(&a, sizeof(a), uaddr);
			rip = a.sin6_addr;
			rport = bswap16(a.sin6_port);
		}
		s->buf[o & EV_MASK] = 10;
		__builtin_memcpy(&s->buf[(o + 1) & EV_MASK], inbound ? &rip : &lip, 16);
		*(__u16 *)&s->buf[(o + 17) & EV_MASK] = inbound ? rport : lport;
		__builtin_memcpy(&s->buf[(o + 19) & EV_MASK], inbound ? &lip : &rip, 16);
		*(__u16 *)&s->buf[(o + 35) & EV_MASK] = inbound ? lport : rport;
		plen(s, 37);
	} else if (fam == AF_UNIX) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		s->buf[o & EV_MASK] = 1;
		*(__u64 *)&s->buf[(o + 1) & EV_MASK] = (__u64)sk;
		*(__u64 *)&s->buf[(o + 9) & EV_MASK] = (__u64)peer;
		struct unix_address *ua = BPF_CORE_READ(us, addr);
		if (!ua && peer)
			ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
		long n = 0;
		if (ua)
			n = bpf_probe_read_kernel_str(&s->buf[(o + 17) & EV_MASK], 108, &ua->name[0].sun_path);
		if (n <= 0) {
			s->buf[(o + 17) & EV_MASK] = 0;
			n = 1;
		}
		plen(s, 17 + n);
	} else {
		plen(s, 0);
	}
}

/* ---------- flag translations (Linux -> PPM_*) ---------- */

static __always_inline __u32 open_flags(__u64 f)
{
	__u32 r = 0;
	switch (f & 3) {
	case 0: r |= 1; break;          /* PPM_O_RDONLY */
	case 1: r |= 2; break;          /* PPM_O_WRONLY */
	case 2: r |= 3; break;          /* PPM_O_RDWR */
	}
	if (f & 0100) r |= 4;           /* O_CREAT */
	if (f & 02000) r |= 8;          /* O_APPEND */
	if (f & 010000) r |= 16;        /* O_DSYNC */
	if (f & 0200) r |= 32;          /* O_EXCL */
	if (f & 04000) r |= 64;         /* O_NONBLOCK */
	if ((f & 04010000) == 04010000) r |= 128; /* O_SYNC */
	if (f & 01000) r |= 256;        /* O_TRUNC */
	if (f & 040000) r |= 512;       /* O_DIRECT */
	if (f & 0200000) r |= 1024;     /* O_DIRECTORY */
	if (f & 0100000) r |= 2048;     /* O_LARGEFILE */
	if (f & 02000000) r |= 4096;    /* O_CLOEXEC */
	if ((f & 020200000) == 020200000) r |= 8192; /* O_TMPFILE */
	return r;
}

/* the mode only means something with O_CREAT or O_TMPFILE (else the register holds garbage) */
static __always_inline __u32 open_mode(__u64 flags, __u64 mode)
{
	return (flags & (0100 | 020000000)) ? mode & 07777 : 0;
}

static __always_inline __u32 clone_flags(__u64 f)
{
	__u32 r = 0;
	if (f & 0x400) r |= 1 << 0;        /* FILES */
	if (f & 0x200) r |= 1 << 1;        /* FS */
	if (f & 0x80000000) r |= 1 << 2;   /* IO */
	if (f & 0x8000000) r |= 1 << 3;    /* NEWIPC */
	if (f & 0x40000000) r |= 1 << 4;   /* NEWNET */
	if (f & 0x20000) r |= 1 << 5;      /* NEWNS */
	if (f & 0x20000000) r |= 1 << 6;   /* NEWPID */
	if (f & 0x4000000) r |= 1 << 7;    /* NEWUTS */
	if (f & 0x8000) r |= 1 << 8;       /* PARENT */
	if (f & 0x100000) r |= 1 << 9;     /* PARENT_SETTID */
	if (f & 0x2000) r |= 1 << 10;      /* PTRACE */
	if (f & 0x800) r |= 1 << 11;       /* SIGHAND */
	if (f & 0x40000) r |= 1 << 12;     /* SYSVSEM */
	if (f & 0x10000) r |= 1 << 13;     /* THREAD */
	if (f & 0x800000) r |= 1 << 14;    /* UNTRACED */
	if (f & 0x100) r |= 1 << 15;       /* VM */
	if (f & 0x10000000) r |= 1 << 20;  /* NEWUSER */
	if (f & 0x200000) r |= 1 << 23;    /* CHILD_CLEARTID */
	if (f & 0x1000000) r |= 1 << 24;   /* CHILD_SETTID */
	if (f & 0x80000) r |= 1 << 25;     /* SETTLS */
	if (f & 0x4000) r |= 1 << 27;      /* VFORK */
	if (f & 0x2000000) r |= 1 << 28;   /* NEWCGROUP */
	return r;
}

/* ---------- process information (execve and clone exits) ---------- */

/* exe (argv[0]) and args (argv[1..], each NUL-terminated) from the task's argument area */
static __always_inline void put_exe_args(struct scratch *s, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
	long n = 0;
	if (mm && end > start)
		n = bpf_probe_read_user_str(&s->buf[s->off & EV_MASK], STR_MAX, (void *)start);
	if (n <= 0) {
		s->buf[s->off & EV_MASK] = 0;
		n = 1;
	}
	plen(s, n);
	long rest = mm && end > start + n ? end - start - n : 0;
	__u32 len = rest < ARGS_MAX ? rest : ARGS_MAX;
	if (len > ARGS_MAX)
		len = ARGS_MAX;
	if (len && bpf_probe_read_user(&s->buf[s->off & EV_MASK], len, (void *)(start + n)))
		len = 0;
	plen(s, len);
}

static __always_inline void put_env(struct scratch *s, struct task_struct *t)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long start = BPF_CORE_READ(mm, env_start), end = BPF_CORE_READ(mm, env_end);
	long total = mm && end > start ? end - start : 0;
	__u32 len = total < ARGS_MAX ? total : ARGS_MAX;
	if (len > ARGS_MAX)
		len = ARGS_MAX;
	if (len && bpf_probe_read_user(&s->buf[s->off & EV_MASK], len, (void *)start))
		len = 0;
	plen(s, len);
}

#define CWD_DEPTH 16

/* state of the working-directory walk; bpf_loop callbacks are verified once, not per iteration */
struct cwd_walk {
	struct dentry *d;
	struct vfsmount *vfs;
	struct mount *mnt;
	struct scratch *s;
	__u32 n;
	__u32 w;
	const unsigned char *names[CWD_DEPTH];
};

/* one step up: to the parent dentry, or across a mount to the mount point; 1 ends the walk */
static long cwd_up(__u32 i, void *arg)
{
	struct cwd_walk *c = arg;
	/* locals: BPF_CORE_READ on c->x would relocate the walk's own struct too */
	struct dentry *d = c->d;
	struct vfsmount *vfs = c->vfs;
	struct mount *mnt = c->mnt;
	struct dentry *root = BPF_CORE_READ(vfs, mnt_root);
	if (d == root) {
		struct mount *parent = BPF_CORE_READ(mnt, mnt_parent);
		if (!parent || parent == mnt)
			return 1;
		c->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		c->mnt = parent;
		c->vfs = &parent->mnt;
		return 0;
	}
	struct dentry *up = BPF_CORE_READ(d, d_parent);
	if (!up || up == d || c->n >= CWD_DEPTH)
		return 1;
	c->names[c->n & (CWD_DEPTH - 1)] = BPF_CORE_READ(d, d_name.name);
	c->n++;
	c->d = up;
	return 0;
}

/* writes "/" + the i-th component from the top */
static long cwd_put(__u32 i, void *arg)
{
	struct cwd_walk *c = arg;
	struct scratch *s = c->s;
	if (i >= c->n || c->w > STR_MAX)
		return 1;
	__u32 o = s->off + c->w;
	s->buf[o & EV_MASK] = '/';
	long r = bpf_probe_read_kernel_str(&s->buf[(o + 1) & EV_MASK], 256, c->names[(c->n - 1 - i) & (CWD_DEPTH - 1)]);
	c->w += r > 1 ? r : 1; /* the slash and the name without its NUL */
	return 0;
}

/*
 * The task's working directory as a path, walked up from fs->pwd through the dentries and across
 * mounts (bpf_d_path is not callable from these hooks). Deeper than CWD_DEPTH components keeps
 * the innermost ones. No trailing slash, as sysdig prints cwd.
 */
static __always_inline void put_cwd(struct scratch *s, struct task_struct *t)
{
	struct cwd_walk c = {};
	struct path pwd = BPF_CORE_READ(t, fs, pwd);
	c.d = pwd.dentry;
	c.vfs = pwd.mnt;
	c.mnt = container_of(pwd.mnt, struct mount, mnt);
	c.s = s;
	bpf_loop(CWD_DEPTH + 8, cwd_up, &c, 0);
	bpf_loop(CWD_DEPTH, cwd_put, &c, 0);
	if (!c.w) {
		s->buf[s->off & EV_MASK] = '/';
		c.w = 1;
	}
	s->buf[(s->off + c.w) & EV_MASK] = 0;
	plen(s, c.w + 1);
}

#define CG_SUBSYS 12       /* CGROUP_SUBSYS_COUNT of the kernels wiretop builds against */
#define CG_PATH_DEPTH 16
#define CG_MAX 1024

/* state of the cgroups parameter: "subsys=path" for every subsystem, each NUL-terminated */
struct cg_walk {
	struct scratch *s;
	struct css_set *cset;
	__u32 w;
	__u32 n;
	const char *names[CG_PATH_DEPTH];
};

static __always_inline const char *subsys_name(__u32 id)
{
	switch (id) {
	case 0: return "cpuset";
	case 1: return "cpu";
	case 2: return "cpuacct";
	case 3: return "io";
	case 4: return "memory";
	case 5: return "devices";
	case 6: return "freezer";
	case 7: return "net_cls";
	case 8: return "perf_event";
	case 9: return "net_prio";
	case 10: return "hugetlb";
	}
	return "pids";
}

/* "/" + the i-th path component from the top */
static long cg_put_component(__u32 i, void *arg)
{
	struct cg_walk *c = arg;
	struct scratch *s = c->s;
	if (i >= c->n || c->w > CG_MAX)
		return 1;
	__u32 o = s->off + c->w;
	s->buf[o & EV_MASK] = '/';
	long r = bpf_probe_read_kernel_str(&s->buf[(o + 1) & EV_MASK], 256, c->names[(c->n - 1 - i) & (CG_PATH_DEPTH - 1)]);
	c->w += r > 1 ? r : 1;
	return 0;
}

/* one subsystem: its name, "=", the path of the task's cgroup in that subsystem's hierarchy */
static long cg_subsys(__u32 id, void *arg)
{
	struct cg_walk *c = arg;
	struct scratch *s = c->s;
	if (c->w > CG_MAX - 300)
		return 1;
	struct css_set *cset = c->cset;
	struct cgroup_subsys_state *css = 0;
	struct cgroup_subsys_state **arr = (void *)cset + bpf_core_field_offset(struct css_set, subsys);
	bpf_probe_read_kernel(&css, sizeof(css), &arr[id & 15]);
	if (!css)
		return 0;
	struct kernfs_node *kn = BPF_CORE_READ(css, cgroup, kn);
	c->n = 0;
	for (int i = 0; i < CG_PATH_DEPTH; i++) {
		struct kernfs_node *up = kn ? BPF_CORE_READ(kn, __parent) : 0;
		if (!up)
			break;
		c->names[i] = BPF_CORE_READ(kn, name);
		c->n++;
		kn = up;
	}
	__u32 o = s->off + c->w;
	long r = bpf_probe_read_kernel_str(&s->buf[o & EV_MASK], 16, subsys_name(id));
	if (r <= 1)
		return 0;
	c->w += r - 1;
	s->buf[(s->off + c->w) & EV_MASK] = '=';
	c->w++;
	__u32 before = c->w;
	bpf_loop(CG_PATH_DEPTH, cg_put_component, c, 0);
	if (c->w == before) {
		s->buf[(s->off + c->w) & EV_MASK] = '/';
		c->w++;
	}
	s->buf[(s->off + c->w) & EV_MASK] = 0;
	c->w++;
	return 0;
}

/* the cgroups parameter (BYTEBUF), as the driver writes it: "cpuset=/\0cpu=/user.slice\0..." */
static __always_inline void put_cgroups(struct scratch *s, struct task_struct *t)
{
	struct cg_walk c = {};
	c.s = s;
	c.cset = BPF_CORE_READ(t, cgroups);
	if (c.cset)
		bpf_loop(CG_SUBSYS, cg_subsys, &c, 0);
	plen(s, c.w);
}

/* tid, pid, ptid, cwd, fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap, comm, cgroups */
static __always_inline void put_proc_common(struct scratch *s, struct task_struct *t)
{
	put_u64(s, t->pid);
	put_u64(s, t->tgid);
	put_u64(s, BPF_CORE_READ(t, real_parent, tgid));
	put_cwd(s, t);
	put_u64(s, BPF_CORE_READ(t, signal, rlim[7].rlim_cur)); /* RLIMIT_NOFILE */
	put_u64(s, t->maj_flt);
	put_u64(s, t->min_flt);
	struct mm_struct *mm = t->mm;
	__u32 vm_size = 0, rss = 0, swap = 0;
	if (mm) {
		vm_size = BPF_CORE_READ(mm, total_vm) << 2; /* pages -> KiB */
		/* rss_stat counters are per-CPU on recent kernels: their .count is the approximate sum */
		long file = BPF_CORE_READ(mm, rss_stat[0].count);
		long anon = BPF_CORE_READ(mm, rss_stat[1].count);
		long sw = BPF_CORE_READ(mm, rss_stat[2].count);
		long shm = BPF_CORE_READ(mm, rss_stat[3].count);
		rss = (file + anon + shm) << 2;
		swap = sw << 2;
	}
	put_u32(s, vm_size);
	put_u32(s, rss);
	put_u32(s, swap);
	put_kernel_str(s, t->comm, 16);
	put_cgroups(s, t);
}

/* ---------- enter events ---------- */

#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_close 3
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_pipe 22
#define NR_dup 32
#define NR_dup2 33
#define NR_sendfile 40
#define NR_socket 41
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_shutdown 48
#define NR_bind 49
#define NR_listen 50
#define NR_clone 56
#define NR_fork 57
#define NR_vfork 58
#define NR_execve 59
#define NR_creat 85
#define NR_openat 257
#define NR_accept4 288
#define NR_dup3 292
#define NR_pipe2 293
#define NR_preadv 295
#define NR_pwritev 296
#define NR_recvmmsg 299
#define NR_sendmmsg 307
#define NR_execveat 322
#define NR_clone3 435
#define NR_openat2 437

/* the enter event type of a syscall this stream encodes specifically; 0 = generic */
static __always_inline __u16 enter_type(long nr)
{
	switch (nr) {
	case NR_read: return 6;
	case NR_write: return 8;
	case NR_open: return 2;
	case NR_close: return 4;
	case NR_pread64: return 112;
	case NR_pwrite64: return 114;
	case NR_readv: return 116;
	case NR_writev: return 118;
	case NR_pipe: case NR_pipe2: return 60;
	case NR_dup: case NR_dup2: case NR_dup3: return 124;
	case NR_sendfile: return 188;
	case NR_socket: return 18;
	case NR_connect: return 22;
	case NR_accept: return 246;
	case NR_accept4: return 248;
	case NR_sendto: return 30;
	case NR_recvfrom: return 34;
	case NR_sendmsg: return 48;
	case NR_recvmsg: return 52;
	case NR_shutdown: return 36;
	case NR_bind: return 20;
	case NR_listen: return 24;
	case NR_clone: return 222;
	case NR_fork: return 224;
	case NR_vfork: return 226;
	case NR_execve: return 292;
	case NR_execveat: return 330;
	case NR_creat: return 58;
	case NR_openat: return 306;
	case NR_openat2: return 326;
	case NR_preadv: return 120;
	case NR_pwritev: return 122;
	case NR_recvmmsg: return 54;
	case NR_sendmmsg: return 50;
	case NR_clone3: return 334;
	}
	return 0;
}

static __always_inline __u16 sc_code(long nr)
{
	__u32 k = nr;
	__u16 *v = bpf_map_lookup_elem(&evt_sc_codes, &k);
	return v ? *v : 0;
}

static __always_inline __u32 enter_nparams(__u16 type)
{
	switch (type) {
	case 2: case 18: case 306: case 30: case 48: case 112: case 114: case 122: return type == 306 ? 4 : 3;
	case 4: case 20: case 52: case 116: case 124: case 248: case 292: return 1;
	case 6: case 8: case 22: case 24: case 34: case 36: case 58: case 118: case 120: return 2;
	case 188: return 4;
	case 326: return 5;
	case 330: return 3;
	}
	return 0;
}

/* not inlined: the hook's own frame stays small, so its early exit saves and restores little */
static __noinline int sys_enter_event(struct pt_regs *regs, long nr)
{
	struct evt_cfg *c = evt_config();
	if (!c)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	if (!selected(c, t->tgid) || nr < 0)
		return 0;
	__u16 type = enter_type(nr);
	struct scratch *s;
	if (!type) {
		s = begin(c, 0, 2, t->pid);
		if (!s)
			return 0;
		put_u16(s, sc_code(nr));
		put_u16(s, nr);
		submit(s);
		return 0;
	}
	s = begin(c, type, enter_nparams(type), t->pid);
	if (!s)
		return 0;
	unsigned long a0 = regs->di, a1 = regs->si, a2 = regs->dx, a3 = regs->r10, a4 = regs->r8, a5 = regs->r9;
	switch (type) {
	case 6: case 8: case 34:                 /* read, write, recvfrom: fd, size */
		put_u64(s, (int)a0);
		put_u32(s, a2);
		break;
	case 2:                                   /* open: name, flags, mode */
		put_user_str(s, (void *)a0);
		put_u32(s, open_flags(a1));
		put_u32(s, open_mode(a1, a2));
		break;
	case 58:                                  /* creat: name, mode */
		put_user_str(s, (void *)a0);
		put_u32(s, a1 & 07777);
		break;
	case 306:                                 /* openat: dirfd, name, flags, mode */
		put_u64(s, (int)a0);
		put_user_str(s, (void *)a1);
		put_u32(s, open_flags(a2));
		put_u32(s, open_mode(a2, a3));
		break;
	case 326: {                               /* openat2: dirfd, name, flags, mode, resolve */
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (void *)a2);
		put_u64(s, (int)a0);
		put_user_str(s, (void *)a1);
		put_u32(s, open_flags(how.flags));
		put_u32(s, open_mode(how.flags, how.mode));
		put_u32(s, how.resolve);
		break;
	}
	case 4: case 20: case 52: case 116: case 124: /* close, bind, recvmsg, readv, dup: fd */
		put_u64(s, (int)a0);
		break;
	case 112: case 114:                       /* pread, pwrite: fd, size, pos */
		put_u64(s, (int)a0);
		put_u32(s, a2);
		put_u64(s, a3);
		break;
	case 118:                                 /* writev: fd, size */
		put_u64(s, (int)a0);
		put_u32(s, iov_total((void *)a1, a2));
		break;
	case 120:                                 /* preadv: fd, pos */
		put_u64(s, (int)a0);
		put_u64(s, a3);
		break;
	case 122:                                 /* pwritev: fd, size, pos */
		put_u64(s, (int)a0);
		put_u32(s, iov_total((void *)a1, a2));
		put_u64(s, a3);
		break;
	case 188: {                               /* sendfile: out_fd, in_fd, offset, size */
		__u64 off = 0;
		if (a2)
			bpf_probe_read_user(&off, sizeof(off), (void *)a2);
		put_u64(s, (int)a0);
		put_u64(s, (int)a1);
		put_u64(s, off);
		put_u64(s, a3);
		break;
	}
	case 18:                                  /* socket: domain, type, proto */
		put_u32(s, a0);
		put_u32(s, a1);
		put_u32(s, a2);
		break;
	case 22:                                  /* connect: fd, addr */
		put_u64(s, (int)a0);
		put_user_sockaddr(s, (void *)a1, a2);
		break;
	case 24:                                  /* listen: fd, backlog */
		put_u64(s, (int)a0);
		put_u32(s, a1);
		break;
	case 36:                                  /* shutdown: fd, how */
		put_u64(s, (int)a0);
		put_u8(s, a1);
		break;
	case 30:                                  /* sendto: fd, size, tuple */
		put_u64(s, (int)a0);
		put_u32(s, a2);
		put_tuple(s, fd_sock(t, (int)a0), 0, (void *)a4, a5);
		break;
	case 48: {                                /* sendmsg: fd, size, tuple */
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)a1);
		put_u64(s, (int)a0);
		put_u32(s, iov_total(m.msg_iov, m.msg_iovlen));
		put_tuple(s, fd_sock(t, (int)a0), 0, m.msg_name, m.msg_namelen);
		break;
	}
	case 248:                                 /* accept4: flags */
		put_u32(s, a3);
		break;
	case 292:                                 /* execve: filename */
		put_user_str(s, (void *)a0);
		break;
	case 330:                                 /* execveat: dirfd, pathname, flags */
		put_u64(s, (int)a0);
		put_user_str(s, (void *)a1);
		put_u32(s, a4);
		break;
	}
	submit(s);
	return 0;
}

/* ---------- exit events ---------- */

static __always_inline __u32 exit_nparams(__u16 type)
{
	switch (type) {
	case 5: case 19: case 25: case 37: case 125: return 1;
	case 7: case 9: case 21: case 23: case 31: case 49: case 113: case 115: case 119: case 123: case 189: return 2;
	case 35: case 117: case 121: return 3;
	case 53: case 59: case 61: return 4;
	case 3: case 247: case 249: return 5;
	case 307: case 327: return 6;
	case 223: case 225: case 227: case 335: case 293: case 331: return 20;
	}
	return 0;
}

static __always_inline void put_open_exit_tail(struct scratch *s, struct task_struct *t, long ret, __u64 flags, __u32 mode)
{
	put_u32(s, open_flags(flags));
	put_u32(s, open_mode(flags, mode));
	put_u32(s, ret >= 0 ? fd_dev(t, ret) : 0);
}

static __noinline int sys_exit_event(struct pt_regs *regs, long ret)
{
	struct evt_cfg *c = evt_config();
	if (!c)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	if (!selected(c, t->tgid))
		return 0;
	long nr = regs->orig_ax;
	if (nr < 0)
		return 0;
	__u16 type = enter_type(nr);
	struct scratch *s;
	if (!type) {
		s = begin(c, 1, 1, t->pid);
		if (!s)
			return 0;
		put_u16(s, sc_code(nr));
		submit(s);
		return 0;
	}
	type++;
	s = begin(c, type, exit_nparams(type), t->pid);
	if (!s)
		return 0;
	unsigned long a0 = regs->di, a1 = regs->si, a2 = regs->dx, a3 = regs->r10, a4 = regs->r8, a5 = regs->r9;
	switch (type) {
	case 7: case 9: case 113: case 115: case 31: /* read, write, pread, pwrite, sendto: res, data */
		put_u64(s, ret);
		put_user_buf(s, (void *)a1, ret);
		break;
	case 35:                                  /* recvfrom: res, data, tuple */
		put_u64(s, ret);
		put_user_buf(s, (void *)a1, ret);
		if (ret >= 0) {
			__u32 alen = 0;
			if (a5)
				bpf_probe_read_user(&alen, sizeof(alen), (void *)a5);
			put_tuple(s, fd_sock(t, (int)a0), 1, a4 ? (void *)a4 : 0, alen);
		} else {
			put_empty(s);
		}
		break;
	case 117: case 121:                       /* readv, preadv: res, size, data */
		put_u64(s, ret);
		put_u32(s, ret > 0 ? ret : 0);
		put_iov_data(s, (void *)a1, a2, ret);
		break;
	case 119: case 123:                       /* writev, pwritev: res, data */
		put_u64(s, ret);
		put_iov_data(s, (void *)a1, a2, ret);
		break;
	case 49: {                                /* sendmsg: res, data */
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)a1);
		put_u64(s, ret);
		put_iov_data(s, m.msg_iov, m.msg_iovlen, ret);
		break;
	}
	case 53: {                                /* recvmsg: res, size, data, tuple */
		struct user_msghdr m = {};
		bpf_probe_read_user(&m, sizeof(m), (void *)a1);
		put_u64(s, ret);
		put_u32(s, ret > 0 ? ret : 0);
		put_iov_data(s, m.msg_iov, m.msg_iovlen, ret);
		if (ret >= 0)
			put_tuple(s, fd_sock(t, (int)a0), 1, m.msg_name, m.msg_namelen);
		else
			put_empty(s);
		break;
	}
	case 5: case 19: case 25: case 37: case 125: /* close, socket, listen, shutdown, dup: res */
		put_u64(s, ret);
		break;
	case 21:                                  /* bind: res, addr */
		put_u64(s, ret);
		put_user_sockaddr(s, (void *)a1, a2);
		break;
	case 23:                                  /* connect: res, tuple */
		put_u64(s, ret);
		if (ret == 0 || ret == -115 /* EINPROGRESS */)
			put_tuple(s, fd_sock(t, (int)a0), 0, (void *)a1, a2);
		else
			put_empty(s);
		break;
	case 247: case 249: {                     /* accept, accept4: fd, tuple, queuepct, queuelen, queuemax */
		put_u64(s, ret);
		if (ret >= 0)
			put_tuple(s, fd_sock(t, ret), 1, 0, 0);
		else
			put_empty(s);
		struct sock *ls = fd_sock(t, (int)a0);
		__u32 qlen = ls ? BPF_CORE_READ(ls, sk_ack_backlog) : 0;
		__u32 qmax = ls ? BPF_CORE_READ(ls, sk_max_ack_backlog) : 0;
		put_u8(s, qmax ? qlen * 100 / qmax : 0);
		put_u32(s, qlen);
		put_u32(s, qmax);
		break;
	}
	case 61: {                                /* pipe, pipe2: res, fd1, fd2, ino */
		int fds[2] = {-1, -1};
		if (ret == 0)
			bpf_probe_read_user(fds, sizeof(fds), (void *)a0);
		put_u64(s, ret);
		put_u64(s, fds[0]);
		put_u64(s, fds[1]);
		struct file *f = ret == 0 ? fd_file(t, fds[0]) : 0;
		put_u64(s, f ? BPF_CORE_READ(f, f_inode, i_ino) : 0);
		break;
	}
	case 189: {                               /* sendfile: res, offset */
		__u64 off = 0;
		if (a2)
			bpf_probe_read_user(&off, sizeof(off), (void *)a2);
		put_u64(s, ret);
		put_u64(s, off);
		break;
	}
	case 3:                                   /* open: fd, name, flags, mode, dev */
		put_u64(s, ret);
		put_user_str(s, (void *)a0);
		put_open_exit_tail(s, t, ret, a1, a2);
		break;
	case 59:                                  /* creat: fd, name, mode, dev */
		put_u64(s, ret);
		put_user_str(s, (void *)a0);
		put_u32(s, a1 & 07777);
		put_u32(s, ret >= 0 ? fd_dev(t, ret) : 0);
		break;
	case 307:                                 /* openat: fd, dirfd, name, flags, mode, dev */
		put_u64(s, ret);
		put_u64(s, (int)a0);
		put_user_str(s, (void *)a1);
		put_open_exit_tail(s, t, ret, a2, a3);
		break;
	case 327: {                               /* openat2: fd, dirfd, name, flags, mode, resolve */
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (void *)a2);
		put_u64(s, ret);
		put_u64(s, (int)a0);
		put_user_str(s, (void *)a1);
		put_u32(s, open_flags(how.flags));
		put_u32(s, open_mode(how.flags, how.mode));
		put_u32(s, how.resolve);
		break;
	}
	case 293: case 331:                       /* execve, execveat */
		put_u64(s, ret);
		put_exe_args(s, t);
		put_proc_common(s, t);
		put_env(s, t);
		put_u32(s, 0);                            /* tty */
		put_u64(s, BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID], numbers[0].nr));
		put_u32(s, BPF_CORE_READ(t, loginuid.val));
		put_u32(s, 0);                            /* flags */
		break;
	case 223: case 225: case 227: case 335: { /* clone, fork, vfork, clone3 */
		__u64 fl = a0;
		if (nr == NR_clone3) {
			fl = 0;
			bpf_probe_read_user(&fl, sizeof(fl), (void *)a0);
		} else if (nr == NR_fork) {
			fl = 17; /* SIGCHLD */
		} else if (nr == NR_vfork) {
			fl = 0x4000 | 0x100 | 17;
		}
		put_u64(s, ret);
		put_exe_args(s, t);
		put_proc_common(s, t);
		put_u32(s, clone_flags(fl));
		put_u32(s, BPF_CORE_READ(t, cred, uid.val));
		put_u32(s, BPF_CORE_READ(t, cred, gid.val));
		put_u64(s, t->pid);                       /* vtid, vpid: the root namespace's */
		put_u64(s, t->tgid);
		break;
	}
	}
	submit(s);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(evt_sys_enter, struct pt_regs *regs, long nr)
{
	if (!maybe_selected())
		return 0;
	return sys_enter_event(regs, nr);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(evt_sys_exit, struct pt_regs *regs, long ret)
{
	if (!maybe_selected())
		return 0;
	if (evt_conf.flags & CFG_ENTER_AT_EXIT) {
		long nr = regs->orig_ax;
		/* a successful exec has replaced the registers: its enter would name nothing */
		if (nr != NR_execve && nr != NR_execveat)
			sys_enter_event(regs, nr);
	}
	return sys_exit_event(regs, ret);
}

/* ---------- process lifecycle ---------- */

/* a child of a selected process is selected too (pid mode), so an exec'd helper stays recorded */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(evt_fork, struct task_struct *parent, struct task_struct *child)
{
	struct evt_cfg *c = evt_config();
	if (!c || !(c->mode & MODE_PIDS))
		return 0;
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	if (ptgid == ctgid || !pid_selected(ptgid))
		return 0;
	__u64 *v = pid_word(ctgid);
	if (v)
		__sync_fetch_and_or(v, 1ULL << (ctgid & 63));
	return 0;
}

/* procexit: status, ret (exit code), sig, core; one per exiting thread, as the driver sends */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(evt_exit, struct task_struct *p)
{
	struct evt_cfg *c = evt_config();
	if (!c)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = t->tgid;
	if (!selected(c, tgid))
		return 0;
	struct scratch *s = begin(c, 186, 4, t->pid);
	if (!s)
		return 0;
	int code = t->exit_code;
	put_u64(s, code);
	put_u64(s, (code >> 8) & 0xff);
	put_u8(s, code & 0x7f);
	put_u8(s, (code & 0x80) ? 1 : 0);
	submit(s);
	/* the process is gone: its tgid must not select a later process that reuses the number */
	if ((c->mode & MODE_PIDS) && BPF_CORE_READ(t, signal, live.counter) == 0) {
		__u64 *v = pid_word(tgid);
		if (v)
			__sync_fetch_and_and(v, ~(1ULL << (tgid & 63)));
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
