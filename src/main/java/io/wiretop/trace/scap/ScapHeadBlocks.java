// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the metadata blocks of a .scap head in the layouts sysdig 0.29.3 reads (MI, IL_V2, UL_V2,
 * PL_V9, FDL_V2; see shared/reference/scap-format.md §3). Strings are cut to the reader's limits,
 * so a long command line or path shortens instead of making the file unreadable.
 */
public final class ScapHeadBlocks {
    static final int MAX_PATH = 1023, MAX_ARGS = 4095, MAX_USER_FIELD = 255;

    private ScapHeadBlocks() {
    }

    /**
     * The section a recording of this head would start with, as {@link ScapReader} reads it back:
     * the live system's state in the one shape the printers know (a live Dig or Echo window).
     * Written to a private temporary file (mode 0600), deleted before returning.
     */
    public static ScapSection section(ScapHead head) throws IOException {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("wiretop-head", ".scap");
        try {
            try (ScapWriter w = ScapWriter.create(tmp)) {
                write(w, head);
                // a section ends at its first event (a head alone is refused, as by sysdig): one
                // empty generic enter marks it, and is never read
                w.event().begin(0, 0, 0, 0, 0).end();
            }
            try (ScapReader r = ScapReader.open(tmp)) {
                return r.section();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** The whole head in sysdig's order: MI, IL, UL, PL, then one FDL per process. */
    public static void write(ScapWriter w, ScapHead head) throws IOException {
        machine(w, head.machine());
        interfaces(w, head.interfaces());
        users(w, head.users(), head.groups());
        processes(w, head.threads());
        for (ScapHead.Thread t : head.threads()) {
            List<ScapHead.Fd> fds = head.fds().get(t.tid());
            if (t.tid() == t.pid() && fds != null) {
                fds(w, t.tid(), fds);
            }
        }
    }

    /** MI: exactly 180 bytes of body (the reader reads that many, then the trailer). */
    public static void machine(ScapWriter w, ScapHead.Machine m) throws IOException {
        int start = w.begin(BlockType.MI);
        ByteBuffer b = w.room(180);
        b.putInt(m.cpus()).putLong(m.memoryBytes()).putLong(m.maxPid());
        byte[] host = m.hostname().getBytes(StandardCharsets.UTF_8);
        int n = Math.min(host.length, 127); // NUL-terminated in 128 bytes
        b.put(host, 0, n);
        for (int i = n; i < 128; i++) {
            b.put((byte) 0);
        }
        // later libs read the first reserved field as boot_ts_epoch; 0.29.3 ignores all four
        b.putLong(m.bootTimeNanos()).putLong(0).putLong(0).putLong(0);
        w.end(start);
    }

    /** IL_V2: per address u32 entry length (not counting itself), type 1 (IPv4) or 2 (IPv6), no link speed known. */
    public static void interfaces(ScapWriter w, List<ScapHead.Interface> list) throws IOException {
        int start = w.begin(BlockType.IL_V2);
        for (ScapHead.Interface i : list) {
            byte[] name = i.name().getBytes(StandardCharsets.UTF_8);
            int nameLen = Math.min(name.length, MAX_PATH);
            boolean v6 = i.address().length == 16;
            int entry = 4 + (v6 ? 48 : 12) + 8 + nameLen;
            ByteBuffer b = w.room(4 + entry);
            b.putInt(entry).putShort((short) (v6 ? 2 : 1)).putShort((short) nameLen);
            b.put(i.address()).put(i.netmask()).put(i.broadcast()).putLong(0);
            b.put(name, 0, nameLen);
        }
        w.end(start);
    }

    /** UL_V2: users then groups, each entry led by its u32 length (counting itself). */
    public static void users(ScapWriter w, List<ScapHead.User> users, List<ScapHead.Group> groups) throws IOException {
        int start = w.begin(BlockType.UL_V2);
        for (ScapHead.User u : users) {
            int entry = w.room(4).position();
            w.room(13).putInt(0).put((byte) 0).putInt((int) u.uid()).putInt((int) u.gid());
            w.str(u.name(), MAX_USER_FIELD);
            w.str(u.home(), MAX_USER_FIELD);
            w.str(u.shell(), MAX_USER_FIELD);
            patchLength(w, entry);
        }
        for (ScapHead.Group g : groups) {
            int entry = w.room(4).position();
            w.room(9).putInt(0).put((byte) 1).putInt((int) g.gid());
            w.str(g.name(), MAX_USER_FIELD);
            patchLength(w, entry);
        }
        w.end(start);
    }

    /** PL_V9: one entry per thread, every field up to exe_writable, led by its u32 length (counting itself). */
    public static void processes(ScapWriter w, List<ScapHead.Thread> threads) throws IOException {
        int start = w.begin(BlockType.PL_V9);
        for (ScapHead.Thread t : threads) {
            int entry = w.room(4).position();
            w.room(44).putInt(0).putLong(t.tid()).putLong(t.pid()).putLong(t.ptid()).putLong(t.sid()).putLong(t.vpgid());
            w.str(t.comm(), MAX_PATH);
            w.str(t.exe(), MAX_PATH);
            w.str(t.exePath(), MAX_PATH);
            w.bytesWithLength(t.args(), MAX_ARGS);
            w.str(t.cwd(), MAX_PATH);
            w.room(52).putLong(t.fdLimit()).putInt(t.flags()).putInt((int) t.uid()).putInt((int) t.gid())
                    .putInt((int) t.vmSizeKb()).putInt((int) t.vmRssKb()).putInt((int) t.vmSwapKb())
                    .putLong(t.pageFaultsMajor()).putLong(t.pageFaultsMinor());
            w.bytesWithLength(t.env(), MAX_ARGS);
            w.room(16).putLong(t.vtid()).putLong(t.vpid());
            w.bytesWithLength(t.cgroups(), MAX_ARGS);
            w.str(t.root(), MAX_PATH);
            w.room(5).putInt(t.loginUid()).put((byte) 0); // exe_writable: not known from /proc alone
            patchLength(w, entry);
        }
        w.end(start);
    }

    /** FDL_V2 of one thread (group): the tid, then each fd led by its u32 length (counting itself). */
    public static void fds(ScapWriter w, long tid, List<ScapHead.Fd> fds) throws IOException {
        int start = w.begin(BlockType.FDL_V2);
        w.room(8).putLong(tid);
        for (ScapHead.Fd f : fds) {
            int entry = w.room(4).position();
            w.room(21).putInt(0).putLong(f.fd()).putLong(f.ino()).put((byte) f.type());
            switch (f.type()) {
                case ScapHead.Fd.IPV4_SOCK, ScapHead.Fd.IPV6_SOCK -> w.room(37).put(f.sip()).put(f.dip())
                        .putShort((short) f.sport()).putShort((short) f.dport()).put((byte) f.l4proto());
                case ScapHead.Fd.IPV4_SERVSOCK, ScapHead.Fd.IPV6_SERVSOCK -> w.room(19).put(f.sip())
                        .putShort((short) f.sport()).put((byte) f.l4proto());
                case ScapHead.Fd.UNIX_SOCK -> {
                    w.room(16).putLong(f.source()).putLong(f.dest());
                    w.str(f.name(), MAX_PATH);
                }
                case ScapHead.Fd.FILE_V2 -> {
                    w.room(4).putInt(f.openFlags());
                    w.str(f.name(), MAX_PATH);
                    w.room(4).putInt((int) f.dev());
                }
                default -> w.str(f.name(), MAX_PATH);
            }
            patchLength(w, entry);
        }
        w.end(start);
    }

    /**
     * One procinfo event (234, internal: sysdig counts but does not print it) per thread with its
     * cumulative user and system CPU time in clock ticks, as libsinsp writes every second. A file
     * needs at least one event to be read at all, and csysdig's CPU column is the difference
     * between two procinfo events of a thread.
     */
    public static void cpuTimes(ScapWriter w, List<ScapHead.Thread> threads, long tsNanos) throws IOException {
        for (ScapHead.Thread t : threads) {
            w.event().begin(tsNanos, t.tid(), 0, ScapEventWriter.PROCINFO_E, 2).u64(t.userTicks()).u64(t.systemTicks()).end();
        }
    }

    private static void patchLength(ScapWriter w, int entryStart) {
        ByteBuffer b = w.room(0);
        b.putInt(entryStart, b.position() - entryStart);
    }
}
