// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One BPF ELF object embedded in the jar ({@code /bpf/<name>.bpf.o}), opened from memory with libbpf.
 *
 * <p>Every attachment is a bpf_link owned by this process, so the kernel drops it when the process
 * dies, even by SIGKILL. {@link #close()} releases links, ring buffers and the object in reverse order
 * of creation and is idempotent. Confined to the thread that owns the capture.
 */
public final class BpfObject implements AutoCloseable {
    private final Native nat;
    private final String name;
    private final Pointer obj;
    // libbpf keeps pointing into the ELF buffer it was opened from: it must outlive the object
    private final Pointer elf;
    private final Deque<Runnable> closers = new ArrayDeque<>();
    private final Map<String, BpfMap> maps = new HashMap<>();
    private boolean loaded;
    private boolean closed;

    private BpfObject(Native nat, String name, Pointer obj, Pointer elf) {
        this.nat = nat;
        this.name = name;
        this.obj = obj;
        this.elf = elf;
        closers.push(() -> nat.bpf.bpf_object__close(obj));
    }

    /** Opens {@code /bpf/<name>.bpf.o} from the classpath (not yet loaded into the kernel). */
    public static BpfObject open(String name) throws BpfException {
        Native nat = Native.get();
        byte[] bytes;
        try (InputStream in = BpfObject.class.getResourceAsStream("/bpf/" + name + ".bpf.o")) {
            if (in == null) {
                throw new BpfException("BPF object " + name + ".bpf.o is missing from the jar (build with `make -C bpf`)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("cannot read BPF object " + name + ".bpf.o: " + e.getMessage());
        }
        Pointer buf = Memory.allocateDirect(nat.runtime, bytes.length);
        buf.put(0, bytes, 0, bytes.length);
        nat.drainLog();
        Pointer obj = nat.bpf.bpf_object__open_mem(buf, bytes.length, null);
        if (obj == null) {
            throw new BpfException("libbpf cannot open BPF object " + name + " (errno " + nat.errno() + ")", nat.drainLog());
        }
        return new BpfObject(nat, name, obj, buf);
    }

    /** Leaves a program out of {@link #load()}: it is neither verified nor loaded (call before load). */
    public void skipProgram(String programName) throws BpfException {
        if (loaded) {
            throw new IllegalStateException("skipProgram after load");
        }
        nat.bpf.bpf_program__set_autoload(program(programName), false);
    }

    /**
     * Sets bytes of the object's {@code const volatile} globals (its .rodata) before load: the
     * verifier then knows them as constants. Tests use it to shrink a table.
     */
    public void setConstant(int offset, byte[] value) throws BpfException {
        if (loaded) {
            throw new IllegalStateException("setConstant after load");
        }
        Pointer map = nat.bpf.bpf_object__find_map_by_name(obj, ".rodata");
        if (map == null) {
            throw new BpfException("BPF object " + name + " has no constants (.rodata)");
        }
        Pointer size = Memory.allocateDirect(nat.runtime, 8);
        Pointer data = nat.bpf.bpf_map__initial_value(map, size);
        if (data == null || offset < 0 || offset + value.length > size.getLong(0)) {
            throw new BpfException("BPF object " + name + ": no constant at offset " + offset);
        }
        data.put(offset, value, 0, value.length);
    }

    /** Loads every program (but skipped ones) and map into the kernel; a rejection quotes the verifier. */
    public void load() throws BpfException {
        nat.drainLog();
        int rc = nat.bpf.bpf_object__load(obj);
        if (rc < 0) {
            String log = nat.drainLog();
            int err = -rc;
            String why = err == 1 ? "permission denied (EPERM): run wiretop as root"
                    : err == 13 ? "access denied (EACCES): the verifier rejected a program"
                    : err == 22 ? "invalid argument (EINVAL): this kernel does not support a hook wiretop needs"
                    : "error " + err;
            throw new BpfException("the kernel refused to load BPF object " + name + ": " + why + lastLines(log, 1), log);
        }
        loaded = true;
    }

    /** Attaches a tracing program (tp_btf, raw_tp, tracepoint) through a link. */
    public void attach(String programName) throws BpfException {
        requireLoaded();
        nat.drainLog();
        Pointer link = nat.bpf.bpf_program__attach(program(programName));
        if (link == null) {
            throw new BpfException("cannot attach BPF program " + programName + " (errno " + nat.errno() + ")", nat.drainLog());
        }
        closers.push(() -> nat.bpf.bpf_link__destroy(link));
    }

    /** Attaches a cgroup program (cgroup_skb...) to a cgroup v2 directory through a link. */
    public void attachCgroup(String programName, String cgroupPath) throws BpfException {
        requireLoaded();
        int fd = nat.libc.open(cgroupPath, 0 /* O_RDONLY */);
        if (fd < 0) {
            throw new BpfException("cannot open cgroup " + cgroupPath + " (errno " + nat.errno() + ")");
        }
        try {
            nat.drainLog();
            Pointer link = nat.bpf.bpf_program__attach_cgroup(program(programName), fd);
            if (link == null) {
                throw new BpfException("cannot attach BPF program " + programName + " to " + cgroupPath
                        + " (errno " + nat.errno() + ")", nat.drainLog());
            }
            closers.push(() -> nat.bpf.bpf_link__destroy(link));
        } finally {
            nat.libc.close(fd);
        }
    }

    private static final int BPF_TCX_INGRESS = 46, BPF_TCX_EGRESS = 47;

    /**
     * Attaches a tc program to a network interface through a tcx link (kernel 6.6+): like every
     * other attachment it is a file descriptor, so it goes away with the process even after a
     * crash, and no clsact qdisc is left behind.
     */
    public void attachTcx(String programName, int ifindex, boolean ingress) throws BpfException {
        requireLoaded();
        int progFd = nat.bpf.bpf_program__fd(program(programName));
        nat.drainLog();
        int link = nat.bpf.bpf_link_create(progFd, ifindex, ingress ? BPF_TCX_INGRESS : BPF_TCX_EGRESS, null);
        if (link < 0) {
            throw new BpfException("cannot attach the tc hook " + programName + " to interface index " + ifindex
                    + " (errno " + nat.errno() + "; tcx links need Linux 6.6 or later)", nat.drainLog());
        }
        closers.push(() -> nat.libc.close(link));
    }

    /** Attaches every program of the object that has an auto-attach section. */
    public void attachAll() throws BpfException {
        requireLoaded();
        for (Pointer p = nat.bpf.bpf_object__next_program(obj, null); p != null; p = nat.bpf.bpf_object__next_program(obj, p)) {
            attach(nat.bpf.bpf_program__name(p));
        }
    }

    /** A map of this object by name. */
    public BpfMap map(String mapName) throws BpfException {
        BpfMap m = maps.get(mapName);
        if (m == null) {
            Pointer p = nat.bpf.bpf_object__find_map_by_name(obj, mapName);
            if (p == null) {
                throw new BpfException("BPF object " + name + " has no map " + mapName);
            }
            int fd = nat.bpf.bpf_map__fd(p);
            if (fd < 0) {
                throw new BpfException("map " + mapName + " of " + name + " is not loaded");
            }
            m = new BpfMap(nat, mapName, fd);
            maps.put(mapName, m);
        }
        return m;
    }

    /** A consumer of a BPF_MAP_TYPE_RINGBUF map; freed with this object. */
    public RingBuffer ringBuffer(String mapName, RecordHandler handler) throws BpfException {
        RingBuffer rb = RingBuffer.create(nat, map(mapName), handler);
        closers.push(rb::free);
        return rb;
    }

    /** A BPF_MAP_TYPE_RINGBUF map read through its memory mapping; unmapped with this object. */
    public MappedRingBuffer mappedRingBuffer(String mapName) throws BpfException {
        Pointer p = nat.bpf.bpf_object__find_map_by_name(obj, mapName);
        if (p == null) {
            throw new BpfException("BPF object " + name + " has no map " + mapName);
        }
        MappedRingBuffer rb = MappedRingBuffer.map(nat, map(mapName).fd(), Integer.toUnsignedLong(nat.bpf.bpf_map__max_entries(p)));
        closers.push(rb::close);
        return rb;
    }

    /** A BPF_F_MMAPABLE array map read through its memory mapping; unmapped with this object. */
    public MappedArray mappedArray(String mapName, int valueSize) throws BpfException {
        Pointer p = nat.bpf.bpf_object__find_map_by_name(obj, mapName);
        if (p == null) {
            throw new BpfException("BPF object " + name + " has no map " + mapName);
        }
        MappedArray a = MappedArray.map(nat, map(mapName).fd(), valueSize, nat.bpf.bpf_map__max_entries(p));
        closers.push(a::close);
        return a;
    }

    /** Sum over CPUs of each slot of a per-CPU array of u64 (the {@code lost} counters). */
    public long[] perCpuSums(String mapName, int slots) throws BpfException {
        return map(mapName).perCpuSums(slots);
    }

    public String name() {
        return name;
    }

    private Pointer program(String programName) throws BpfException {
        Pointer p = nat.bpf.bpf_object__find_program_by_name(obj, programName);
        if (p == null) {
            throw new BpfException("BPF object " + name + " has no program " + programName);
        }
        return p;
    }

    private void requireLoaded() {
        if (!loaded) {
            throw new IllegalStateException("BPF object " + name + " is not loaded");
        }
    }

    private static String lastLines(String log, int n) {
        String[] lines = log.strip().split("\n");
        if (log.isBlank()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            sb.append(" [").append(lines[i].strip()).append(']');
        }
        return sb.toString();
    }

    /** Detaches and frees everything, newest first. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException e) {
                // keep releasing the rest: a half-closed object would leave hooks in the kernel
            }
        }
        if (elf == null) {
            throw new IllegalStateException("unreachable: keeps the ELF buffer reachable until here");
        }
    }
}
