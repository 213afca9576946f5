// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.decode.LinkType;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;

/**
 * A pcap-filter(7) expression compiled by libpcap ({@code pcap_open_dead} + {@code pcap_compile}) and
 * applied in user space with {@code pcap_offline_filter}, so wiretop selects exactly what tcpdump
 * selects. The compiled classic BPF program is available for a kernel-side filter.
 * Thread-safe: compile and match are synchronized on the instance; close it when done.
 */
public final class PcapFilter implements AutoCloseable {
    /** The libpcap functions wiretop uses. */
    public interface LibPcap {
        Pointer pcap_open_dead(int linktype, int snaplen);

        int pcap_compile(Pointer p, Pointer prog, String expr, int optimize, int netmask);

        String pcap_geterr(Pointer p);

        int pcap_offline_filter(Pointer prog, Pointer hdr, @In byte[] pkt);

        int pcap_offline_filter(Pointer prog, Pointer hdr, Pointer pkt);

        void pcap_freecode(Pointer prog);

        void pcap_close(Pointer p);

        String pcap_lib_version();
    }

    private static final int PCAP_NETMASK_UNKNOWN = 0xffffffff;
    private static volatile LibPcap lib;

    private final LibPcap pcap;
    private final Pointer handle;
    private final Pointer prog;   // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
    private final Pointer hdr;    // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen, len; }
    private final String expression;
    private boolean closed;

    private PcapFilter(LibPcap pcap, Pointer handle, Pointer prog, String expression) {
        this.pcap = pcap;
        this.handle = handle;
        this.prog = prog;
        this.expression = expression;
        this.hdr = Memory.allocateDirect(Runtime.getRuntime(pcap), 24);
    }

    /** libpcap, loaded once; a one-line exception when it is not installed. */
    static LibPcap lib() {
        LibPcap l = lib;
        if (l == null) {
            synchronized (PcapFilter.class) {
                if (lib == null) {
                    RuntimeException last = null;
                    for (String name : new String[]{"libpcap.so.0.8", "libpcap.so.1", "pcap"}) {
                        try {
                            lib = LibraryLoader.create(LibPcap.class).failImmediately().load(name);
                            break;
                        } catch (LinkageError | RuntimeException e) {
                            last = new IllegalStateException(e.getMessage());
                        }
                    }
                    if (lib == null) {
                        throw new IllegalStateException("libpcap was not found: install it with `apt-get install libpcap0.8`"
                                + (last == null ? "" : " (" + last.getMessage() + ")"));
                    }
                }
                l = lib;
            }
        }
        return l;
    }

    /**
     * Compiles {@code expression} for packets of {@code linkType}.
     *
     * @throws IllegalArgumentException with libpcap's message, e.g. {@code invalid filter "tcp prot 80": syntax error}
     */
    public static PcapFilter compile(String expression, int linkType, int snaplen) {
        PcapExpressionBounds.check(expression);
        LibPcap l = lib();
        // pcap_open_dead takes a DLT_ value; LINKTYPE_RAW (101) is DLT_RAW (12) on Linux, the others coincide
        Pointer h = l.pcap_open_dead(linkType == LinkType.RAW ? 12 : linkType, snaplen);
        if (h == null) {
            throw new IllegalStateException("libpcap cannot open a handle for link type " + linkType);
        }
        Pointer prog = Memory.allocateDirect(Runtime.getRuntime(l), 16);
        int rc = onLargeStack(() -> {
            synchronized (PcapFilter.class) { // pcap_compile was not reentrant before libpcap 1.8
                return l.pcap_compile(h, prog, expression, 1, PCAP_NETMASK_UNKNOWN);
            }
        });
        if (rc != 0) {
            String err = l.pcap_geterr(h);
            l.pcap_close(h);
            throw new IllegalArgumentException("invalid filter " + PcapExpressionBounds.quoted(expression) + ": " + err);
        }
        return new PcapFilter(l, h, prog, expression);
    }

    /**
     * Runs libpcap's compiler on a thread with a 64 MiB stack: it recurses per node of the
     * expression, and a native stack overflow is a SIGSEGV that no Java code can catch.
     */
    private static int onLargeStack(java.util.function.IntSupplier compile) {
        int[] rc = new int[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try {
                rc[0] = compile.getAsInt();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "pcap-compile", 64L << 20);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the native call cannot be stopped: wait for it, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return rc[0];
    }

    public String expression() {
        return expression;
    }

    /** True when the packet (captured bytes, original length) matches the expression. */
    public synchronized boolean matches(byte[] data, int origLen) {
        header(data.length, origLen);
        return pcap.pcap_offline_filter(prog, hdr, data) != 0;
    }

    /** Fills the pcap_pkthdr the program is run with (lengths only: no expression reads the time). */
    private void header(int caplen, int origLen) {
        if (closed) {
            throw new IllegalStateException("filter closed");
        }
        hdr.putLong(0, 0);
        hdr.putLong(8, 0);
        hdr.putInt(16, caplen);
        hdr.putInt(20, origLen);
    }

    private Pointer frame; // native room for a live record's frame: the filter reads it there, no array marshalling

    /** True when a live record matches the expression (checked without allocating). */
    public synchronized boolean matches(PacketRecord r) {
        int n = r.frameLength();
        header(n, r.origLength());
        if (frame == null || frame.size() < n) {
            frame = Memory.allocateDirect(Runtime.getRuntime(pcap), Math.max(n, 2048));
        }
        r.copyFrame(frame.address());
        return pcap.pcap_offline_filter(prog, hdr, frame) != 0;
    }

    /** The compiled classic BPF program: one long per instruction (code:16, jt:8, jf:8, k:32, little-endian layout). */
    public synchronized long[] instructions() {
        int n = prog.getInt(0);
        Pointer insns = prog.getPointer(8);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = insns.getLong(8L * i);
        }
        return r;
    }

    /** libpcap's version string. */
    public static String version() {
        return lib().pcap_lib_version();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pcap.pcap_freecode(prog);
            pcap.pcap_close(handle);
        }
    }
}
