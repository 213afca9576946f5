/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A classic-BPF interpreter, so that a pcap-filter expression (compiled by libpcap in user space,
 * for an Ethernet frame) decides in the kernel which packets reach the ring buffer, as tcpdump's
 * socket filter does. The frame's first WT_CBPF_WINDOW - 14 bytes are copied into a per-CPU slot
 * (behind the fake Ethernet header when the hook starts at the IP header) and the program runs
 * one instruction per bpf_loop() step. A load past the window (but inside the packet) cannot be
 * decided here: the packet goes to user space, which runs the same program with libpcap.
 */
#ifndef WIRETOP_CBPF_H
#define WIRETOP_CBPF_H

#define CBPF_SLOTS 4 /* per CPU: a softirq may interrupt a process-context program mid-filter */
#define CBPF_REJECT 0
#define CBPF_ACCEPT 1
#define CBPF_UNDECIDED 2
#define CBPF_RUNNING 3

struct cbpf_vm {
	__u32 A, X, pc, verdict, pktlen, window; /* window: bytes of frame[] that hold the packet */
	__u32 M[16];
	__u8 frame[WT_CBPF_WINDOW];
	__u64 busy;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wt_cbpf_prog);
} pkt_cbpf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CBPF_SLOTS);
	__type(key, __u32);
	__type(value, struct cbpf_vm);
} pkt_cbpf_vm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WT_PKT_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} pkt_stats SEC(".maps");

static __always_inline void count_stat(__u32 idx)
{
	count_in(&pkt_stats, idx);
}

/* Big-endian load of `size` bytes at `off`; false when it ends the program (verdict set). */
static __always_inline bool cbpf_load(struct cbpf_vm *vm, __u64 off, __u32 size, __u32 *v)
{
	if (off + size > vm->pktlen) { /* 64-bit: X + k cannot wrap into the packet */
		vm->verdict = CBPF_REJECT; /* out of the packet: classic BPF returns 0 */
		return false;
	}
	if (off + size > vm->window) {
		vm->verdict = CBPF_UNDECIDED;
		return false;
	}
	__u32 r = 0;
	for (__u32 j = 0; j < 4; j++) {
		if (j < size)
			r = (r << 8) | vm->frame[(off + j) & (WT_CBPF_WINDOW - 1)];
	}
	*v = r;
	return true;
}

struct cbpf_ctx {
	__u32 slot;
};

static long cbpf_step(__u64 i, struct cbpf_ctx *c)
{
	__u32 zero = 0, slot = c->slot;
	struct wt_cbpf_prog *p = bpf_map_lookup_elem(&pkt_cbpf, &zero);
	struct cbpf_vm *vm = bpf_map_lookup_elem(&pkt_cbpf_vm, &slot);
	if (!p || !vm)
		return 1;
	__u32 pc = vm->pc;
	if (pc >= WT_CBPF_MAX || pc >= p->len) {
		vm->verdict = CBPF_REJECT; /* ran off the end: not a valid program */
		return 1;
	}
	struct wt_cbpf_insn in = p->insns[pc];
	__u32 k = in.k, v = 0;
	__u16 code = in.code;
	vm->pc = pc + 1;
	switch (code & 7) {
	case 0x00: /* LD */
	case 0x01: { /* LDX */
		__u32 mode = code & 0xe0, size = (code & 0x18) == 0 ? 4 : (code & 0x18) == 0x08 ? 2 : 1;
		if (mode == 0x00)
			v = k;
		else if (mode == 0x60)
			v = vm->M[k & 15];
		else if (mode == 0x80)
			v = vm->pktlen;
		else if (mode == 0x20 || mode == 0x40) {
			if (!cbpf_load(vm, mode == 0x40 ? (__u64)vm->X + k : (__u64)k, size, &v))
				return 1;
		} else if (mode == 0xa0) { /* LDX MSH: 4 * (P[k] & 0xf), the IPv4 header length */
			if (!cbpf_load(vm, k, 1, &v))
				return 1;
			v = (v & 0xf) << 2;
		} else {
			vm->verdict = CBPF_UNDECIDED; /* unknown mode: let libpcap decide */
			return 1;
		}
		if ((code & 7) == 0x00)
			vm->A = v;
		else
			vm->X = v;
		return 0;
	}
	case 0x02: /* ST */
		vm->M[k & 15] = vm->A;
		return 0;
	case 0x03: /* STX */
		vm->M[k & 15] = vm->X;
		return 0;
	case 0x04: { /* ALU */
		__u32 a = vm->A, b = (code & 0x08) ? vm->X : k;
		switch (code & 0xf0) {
		case 0x00: a += b; break;
		case 0x10: a -= b; break;
		case 0x20: a *= b; break;
		case 0x30:
		case 0x90:
			if (b == 0) {
				vm->verdict = CBPF_REJECT; /* division by zero ends a classic program with 0 */
				return 1;
			}
			a = (code & 0xf0) == 0x30 ? a / b : a % b;
			break;
		case 0x40: a |= b; break;
		case 0x50: a &= b; break;
		case 0x60: a = b < 32 ? a << b : 0; break;
		case 0x70: a = b < 32 ? a >> b : 0; break;
		case 0x80: a = -a; break;
		case 0xa0: a ^= b; break;
		default:
			vm->verdict = CBPF_UNDECIDED;
			return 1;
		}
		vm->A = a;
		return 0;
	}
	case 0x05: { /* JMP: forward only, so the number of steps is bounded by the program's length */
		__u32 b = (code & 0x08) ? vm->X : k;
		bool t;
		switch (code & 0xf0) {
		case 0x00: vm->pc = pc + 1 + k; return 0;
		case 0x10: t = vm->A == b; break;
		case 0x20: t = vm->A > b; break;
		case 0x30: t = vm->A >= b; break;
		case 0x40: t = (vm->A & b) != 0; break;
		default:
			vm->verdict = CBPF_UNDECIDED;
			return 1;
		}
		vm->pc = pc + 1 + (t ? in.jt : in.jf);
		return 0;
	}
	case 0x06: /* RET */
		vm->verdict = (((code & 0x18) == 0x10) ? vm->A : k) != 0 ? CBPF_ACCEPT : CBPF_REJECT;
		return 1;
	default: /* MISC */
		if ((code & 0xf8) == 0x00)
			vm->X = vm->A; /* TAX */
		else
			vm->A = vm->X; /* TXA */
		return 0;
	}
}

/*
 * The pcap-filter program's verdict on the packet: CBPF_ACCEPT, CBPF_REJECT, or CBPF_UNDECIDED
 * (user space decides: the record is flagged WT_PKT_UNDECIDED).
 * `l2len` bytes of link layer precede the IP header in the skb; 0 means a fake Ethernet header
 * (ptcpdump's, as user space presents the packet) is put in front.
 */
static __always_inline __u32 cbpf_verdict(struct __sk_buff *skb, __u32 l2len)
{
	struct cbpf_ctx c = {};
	struct cbpf_vm *vm = NULL;
	for (__u32 s = 0; s < CBPF_SLOTS; s++) {
		__u32 key = s;
		struct cbpf_vm *cand = bpf_map_lookup_elem(&pkt_cbpf_vm, &key);
		if (cand && !__sync_lock_test_and_set(&cand->busy, 1)) {
			vm = cand;
			c.slot = s;
			break;
		}
	}
	if (!vm) {
		count_stat(WT_PKT_STAT_DEFERRED);
		return CBPF_UNDECIDED; /* nested too deep */
	}
	__u32 fake = l2len ? 0 : 14;
	if (fake) {
		/* ptcpdump's fake header: dst 00:00:00:00:00:02, src 00:00:00:00:00:01, IPv4 or IPv6 */
		__builtin_memset(vm->frame, 0, 14);
		vm->frame[5] = 2;
		vm->frame[11] = 1;
		bool v6 = skb->protocol == bpf_htons(0x86DD);
		vm->frame[12] = v6 ? 0x86 : 0x08;
		vm->frame[13] = v6 ? 0xdd : 0x00;
	}
	/* copy what the window holds: the verifier wants a bounded, non-zero length in one register
	 * (a 64-bit one: a 32-bit value is zero-extended into a copy, and the copy gets the bounds) */
	__u64 n = skb->len;
	if (n > WT_CBPF_WINDOW - 14)
		n = WT_CBPF_WINDOW - 14;
	asm volatile("" : "+r"(n));
	if (n == 0 || n > WT_CBPF_WINDOW - 14 || bpf_skb_load_bytes(skb, 0, vm->frame + fake, n) < 0)
		n = 0;
	vm->window = n + fake;
	vm->pktlen = skb->len + fake;
	vm->A = vm->X = vm->pc = 0;
	vm->verdict = CBPF_RUNNING;
	bpf_loop(WT_CBPF_MAX, cbpf_step, &c, 0);
	__u32 verdict = vm->verdict;
	vm->busy = 0;
	if (verdict == CBPF_REJECT) {
		count_stat(WT_PKT_STAT_FILTERED);
		return CBPF_REJECT;
	}
	if (verdict != CBPF_ACCEPT) {
		count_stat(WT_PKT_STAT_DEFERRED);
		return CBPF_UNDECIDED;
	}
	return CBPF_ACCEPT;
}

#endif
