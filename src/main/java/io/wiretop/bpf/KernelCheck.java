// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before anything is loaded, that this process and kernel can run wiretop's live capture,
 * and says in one sentence what is missing and what to do.
 */
public final class KernelCheck {
    private static final int BTF_KIND_TYPEDEF = 8;
    private static final long CAP_SYS_ADMIN = 1L << 21;
    private static final long CAP_PERFMON = 1L << 38;
    private static final long CAP_BPF = 1L << 39;

    private KernelCheck() {
    }

    /** Throws a BpfException whose message is the one sentence to show the user. */
    public static void requireLiveCapture() throws BpfException {
        requirePrivileges();
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
            throw new BpfException("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): wiretop needs "
                    + "a kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux 6.0 or newer)");
        }
        Native nat = Native.get();
        Pointer btf = nat.bpf.btf__load_vmlinux_btf();
        if (btf == null) {
            throw new BpfException("cannot read the kernel's BTF (errno " + nat.errno() + ")", nat.drainLog());
        }
        try {
            for (String tp : new String[]{"sock_send_length", "sock_recv_length", "sched_process_exec"}) {
                if (nat.bpf.btf__find_by_name_kind(btf, "btf_trace_" + tp, BTF_KIND_TYPEDEF) < 0) {
                    throw new BpfException("this kernel lacks the " + tp + " tracepoint that wiretop counts "
                            + "socket bytes with: it needs Linux 6.0 or newer (running " + kernelRelease() + ")");
                }
            }
        } finally {
            nat.bpf.btf__free(btf);
        }
    }

    /**
     * Throws when this process may not load BPF programs, before libbpf tries and logs its own
     * failure. The message names no option: each command adds the alternatives it has.
     */
    public static void requirePrivileges() throws BpfException {
        long caps = effectiveCaps();
        boolean privileged = (caps & CAP_SYS_ADMIN) != 0 || ((caps & CAP_BPF) != 0 && (caps & CAP_PERFMON) != 0);
        if (!privileged) {
            throw new BpfException(NEEDS_ROOT);
        }
    }

    /** The refusal of an unprivileged run. */
    public static final String NEEDS_ROOT = "root (or CAP_BPF and CAP_PERFMON) is needed to load eBPF programs: "
            + "run it with sudo";

    static long effectiveCaps() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown kernel";
        }
    }
}
