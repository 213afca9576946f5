// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfMap;
import io.wiretop.bpf.BpfObject;
import io.wiretop.bpf.MappedRingBuffer;
import io.wiretop.bpf.NativeMemory;
import io.wiretop.model.SyscallNames;
import io.wiretop.trace.scap.EventTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live syscall stream: {@code bpf/evt.bpf.c} loaded from the jar and attached while open. The
 * kernel selects the threads and encodes each event in scap's format; this side only drains the ring
 * (read in place from its mapping, copied into one reused buffer: no allocation per event) and
 * hands each event to the sink. Every hook is a bpf_link owned by this process, so the kernel drops
 * them when the process ends, however it ends. Confined to one thread.
 */
public final class SyscallStream implements SyscallEvents {
    // the kernel object's mode bits (evt.bpf.c MODE_*); 0 is "nothing", the map's state before select()
    private static final int MODE_PIDS = 1, MODE_CGROUPS = 2, MODE_ALL = 4;
    /** The largest snap length the kernel side captures (evt.bpf.c SNAP_MAX). */
    public static final int SNAP_MAX = 4096;
    private static final int SC_CODES = 512; // evt.bpf.c evt_sc_codes entries
    private static final int PID_WORDS = 65536; // evt.bpf.c PID_WORDS: 64 tgids each
    private static final int CFG_ENTER_AT_EXIT = 1; // evt.bpf.c: the exit program sends the enter too
    /** The programs attached: the sys_enter one only when the enters' own times are wanted. */
    private static List<String> programs(boolean exitsOnly) {
        return exitsOnly ? List.of("evt_fork", "evt_exit", "evt_sys_exit")
                : List.of("evt_fork", "evt_exit", "evt_sys_enter", "evt_sys_exit");
    }

    private final BpfObject obj;
    private final MappedRingBuffer ring;
    private final long monoToEpoch;
    private final int selfTgid;
    /** Fixed at open: whether only the sys_exit hook is attached (see {@link EventSelection#exitsOnly}). */
    private final boolean exitsOnly;
    private final byte[] event = new byte[8192 + 2]; // evt.bpf.c EV_MAX, plus the CPU
    private final ByteBuffer view = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
    private EventSink sink;
    private int handed;
    private long malformed;

    private SyscallStream(BpfObject obj, EventSelection selection) throws BpfException {
        this.obj = obj;
        // the packet hooks and the syscall stream share one offset: their events interleave (Dig)
        monoToEpoch = io.wiretop.bpf.MonoClock.MONO_TO_EPOCH;
        selfTgid = (int) ProcessHandle.current().pid();
        exitsOnly = selection.exitsOnly();
        if (exitsOnly) {
            obj.skipProgram("evt_sys_enter"); // not even verified: nothing of it is in the kernel
        }
        obj.load();
        fillSyscallCodes(obj.map("evt_sc_codes"));
        // the selection is in place before the first hook is attached: nothing unselected leaks out
        select(selection);
        ring = obj.mappedRingBuffer("evt_ring");
        for (String p : programs(exitsOnly)) {
            obj.attach(p);
        }
    }

    /** Loads and attaches the stream; a one-sentence BpfException when the kernel refuses. */
    public static SyscallStream open(EventSelection selection) throws BpfException {
        BpfObject obj = BpfObject.open("evt");
        try {
            return new SyscallStream(obj, selection);
        } catch (BpfException | RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** The generic event's ID is a PPM_SC code: native x86_64 numbers are joined to it by name. */
    private static void fillSyscallCodes(BpfMap codes) throws BpfException {
        for (int nr = 0; nr < SC_CODES; nr++) {
            int code = EventTable.syscallCode(SyscallNames.syscall(nr));
            if (code != 0) {
                codes.update(le(4).putInt(0, nr).array(), le(2).putShort(0, (short) code).array(), 0);
            }
        }
    }

    @Override
    public void select(EventSelection sel) throws BpfException {
        if (sel.snapLen() < 0 || sel.snapLen() > SNAP_MAX) {
            throw new BpfException("snap length " + sel.snapLen() + " is outside 0.." + SNAP_MAX);
        }
        if (sel.exitsOnly() != exitsOnly) {
            throw new BpfException("the stream's hooks are chosen when it opens: reopen it for "
                    + (sel.exitsOnly() ? "exits only" : "enter events"));
        }
        BpfMap cgroups = obj.map("evt_cgroups");
        // sets first, then the mode: a thread sees either the old selection or the new one
        replacePidBits(obj.map("evt_pid_bits"), sel.pids());
        replaceKeys(cgroups, 8, sel.cgroupIds().stream().map(c -> le(8).putLong(0, c).array()).toList());
        // pids and cgroups together select the union; pid mode stays on with an empty set so that
        // the children of pids added later are still followed
        int mode = sel.all() ? MODE_ALL : sel.cgroupIds().isEmpty() ? MODE_PIDS : !sel.pids().isEmpty() ? MODE_PIDS | MODE_CGROUPS : MODE_CGROUPS;
        ByteBuffer cfg = le(24).putInt(0, mode).putInt(4, sel.snapLen()).putLong(8, monoToEpoch).putInt(16, selfTgid)
                .putInt(20, exitsOnly ? CFG_ENTER_AT_EXIT : 0);
        obj.map(".data.cfg").update(le(4).array(), cfg.array(), 0); // evt.bpf.c evt_conf, a global
    }

    /** The tgid bitmap (evt.bpf.c evt_pid_bits): the words of the new set written, every other set word zeroed. */
    private static void replacePidBits(BpfMap bits, Set<Integer> pids) throws BpfException {
        Map<Integer, Long> words = new HashMap<>();
        for (int p : pids) {
            if (p <= 0 || p >= PID_WORDS * 64) {
                throw new BpfException("pid " + p + " is outside 1.." + (PID_WORDS * 64 - 1));
            }
            words.merge(p >>> 6, 1L << (p & 63), (a, b) -> a | b);
        }
        List<Integer> stale = new ArrayList<>();
        bits.forEach(4, 8, (k, v) -> {
            if (v.getLong(0) != 0 && !words.containsKey(k.getInt(0))) {
                stale.add(k.getInt(0));
            }
        });
        for (int w : stale) {
            bits.update(le(4).putInt(0, w).array(), new byte[8], 0);
        }
        for (Map.Entry<Integer, Long> e : words.entrySet()) {
            bits.update(le(4).putInt(0, e.getKey()).array(), le(8).putLong(0, e.getValue()).array(), 0);
        }
    }

    private static void replaceKeys(BpfMap map, int keySize, List<byte[]> keys) throws BpfException {
        List<byte[]> old = new ArrayList<>();
        map.forEach(keySize, 1, (k, v) -> {
            byte[] b = new byte[keySize];
            k.get(b);
            old.add(b);
        });
        for (byte[] k : old) {
            map.delete(k);
        }
        for (byte[] k : keys) {
            map.update(k, new byte[] {1}, 0);
        }
    }

    @Override
    public int poll(int timeoutMillis, EventSink sink) throws IOException {
        // Records come without wake-ups (batched in the kernel): wait out the timeout unless a
        // quarter of the ring is filled, then drain everything in one go.
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long enough = ring.size() / 4;
        while (System.nanoTime() < deadline && ring.pendingBytes() < enough) {
            try {
                Thread.sleep(Math.min(2, Math.max(1, timeoutMillis)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        this.sink = sink;
        handed = 0;
        try {
            ring.drain(this::onRecord);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            this.sink = null;
        }
        return handed;
    }

    private void onRecord(long address, int length) {
        // record = the event (its own len in the header) + u16 CPU
        if (length < 28 || length > event.length) {
            malformed++;
            return;
        }
        NativeMemory.copy(address, event, 0, length);
        int len = view.getInt(16);
        if (len + 2 != length) {
            malformed++;
            return;
        }
        int cpu = Short.toUnsignedInt(view.getShort(len));
        view.limit(len).position(0);
        try {
            sink.event(cpu, view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            view.clear();
        }
        handed++;
    }

    /** Records that did not have the stream's framing (none expected: a kernel/user mismatch). */
    public long malformed() {
        return malformed;
    }

    @Override
    public long[] lostPerCpu() {
        try {
            BpfMap lost = obj.map("evt_lost");
            long[] full = lost.perCpuValues(0), big = lost.perCpuValues(1);
            for (int c = 0; c < full.length; c++) {
                full[c] += big[c];
            }
            return full;
        } catch (BpfException e) {
            throw new IllegalStateException("the stream's lost counters are gone: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        obj.close();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
