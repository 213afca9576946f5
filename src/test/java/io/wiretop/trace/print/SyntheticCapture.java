// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.trace.scap.EventTable;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEventWriter;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A capture made to exercise the parameter types and fd kinds the sample fixtures lack (flags with
 * an exact-match entry, octal modes, relative paths, signals, relative times, fd lists, uids, unix
 * and IPv4-mapped tuples, a UDP send before the source is known, long and binary buffers, CRLF
 * text, unknown errnos, AT_FDCWD, internal and generic events...). Its sysdig output is recorded by
 * {@code scripts/gen-sysdig-lines.sh} next to it in {@code src/test/resources/sysdig/}; the test
 * checks the committed file is what this class writes, so the two cannot drift apart.
 * Run {@code main} with the target path to regenerate it.
 */
final class SyntheticCapture {
    static final String NAME = "synthetic";
    private static final long T0 = 1_700_000_000_123_456_789L;
    private final ScapWriter w;
    private long ts = T0;

    private SyntheticCapture(ScapWriter w) {
        this.w = w;
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }

    static void write(Path file) throws IOException {
        try (ScapWriter w = ScapWriter.create(file)) {
            ScapHeadBlocks.write(w, head());
            new SyntheticCapture(w).events();
        }
    }

    private static byte[] ip(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return a;
    }

    private static ScapHead head() {
        byte[] args = "-s\0http://example.com/\0".getBytes(StandardCharsets.UTF_8);
        ScapHead.Thread main = thread(100, 100, "curl", args, 0);
        ScapHead.Thread second = thread(101, 100, "curl", args, ScapHead.Thread.PPM_CL_CLONE_FILES
                | ScapHead.Thread.PPM_CL_CLONE_THREAD);
        ScapHead.Thread shell = thread(50, 50, "bash", new byte[0], 0);
        List<ScapHead.Fd> fds = List.of(
                ScapHead.Fd.file(0, 1, "/dev/pts/0", 3, 0),
                ScapHead.Fd.named(1, 2, ScapHead.Fd.FIFO, "pipe:[1234]"),
                ScapHead.Fd.named(2, 3, ScapHead.Fd.DIRECTORY, "/home/alice"),
                ScapHead.Fd.inet(3, 4, ip(10, 0, 0, 5), 40000, ip(93, 184, 216, 34), 80, ScapHead.Fd.L4_TCP),
                ScapHead.Fd.server(4, 5, ip(0, 0, 0, 0), 8080, ScapHead.Fd.L4_TCP),
                ScapHead.Fd.unix(5, 6, 0xffff8880aaaa0000L, 0xffff8880bbbb0000L, "/run/app.sock"),
                ScapHead.Fd.named(6, 7, ScapHead.Fd.EVENT, ""),
                ScapHead.Fd.named(7, 8, ScapHead.Fd.EVENTPOLL, ""),
                ScapHead.Fd.named(8, 9, ScapHead.Fd.INOTIFY, ""),
                ScapHead.Fd.named(9, 10, ScapHead.Fd.TIMERFD, ""),
                ScapHead.Fd.named(10, 11, ScapHead.Fd.SIGNALFD, ""),
                ScapHead.Fd.inet(11, 12, ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 5353,
                        ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 53, ScapHead.Fd.L4_UDP));
        return new ScapHead(new ScapHead.Machine(2, 1L << 30, 32768, "synth", T0 - 1_000_000_000_000L),
                List.of(new ScapHead.Interface("lo", ip(127, 0, 0, 1), ip(255, 0, 0, 0), ip(127, 255, 255, 255)),
                        new ScapHead.Interface("eth0", ip(10, 0, 0, 5), ip(255, 255, 255, 0), ip(10, 0, 0, 255))),
                List.of(new ScapHead.User(0, 0, "root", "/root", "/bin/sh"),
                        new ScapHead.User(1000, 1000, "alice", "/home/alice", "/bin/bash")),
                List.of(new ScapHead.Group(0, "root"), new ScapHead.Group(1000, "alice")),
                List.of(shell, main, second), Map.of(100L, fds));
    }

    private static ScapHead.Thread thread(long tid, long pid, String comm, byte[] args, int flags) {
        return new ScapHead.Thread(tid, pid, tid == 50 ? 1 : 50, 50, 50, comm, "/usr/bin/" + comm,
                "/usr/bin/" + comm, args, "/home/alice/", 1024, flags, 1000, 1000, 5000, 1000, 0, 0, 10,
                "HOME=/home/alice\0".getBytes(StandardCharsets.UTF_8), tid, pid,
                "cpu=/user.slice\0".getBytes(StandardCharsets.UTF_8), "/", 1000, 0, 0);
    }

    /** One event; each value is a Long (any integer type), a String (text types) or a byte[] (raw). */
    private void ev(long tid, int type, Object... params) throws IOException {
        ts += 1_234_567;
        ScapEventWriter e = w.event().begin(ts, tid, (int) (tid % 2), type, params.length);
        List<ParamType> types = EventTable.get(type).paramTypes();
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof String s) {
                e.str(s);
            } else if (p instanceof byte[] b) {
                e.bytes(b, 0, b.length);
            } else {
                long v = (Long) p;
                switch (size(types.get(i))) {
                    case 1 -> e.u8((int) v);
                    case 2 -> e.u16((int) v);
                    case 4 -> e.u32(v);
                    default -> e.u64(v);
                }
            }
        }
        e.end();
    }

    private static int size(ParamType t) {
        return switch (t) {
            case INT8, UINT8, FLAGS8, SIGTYPE -> 1;
            case INT16, UINT16, FLAGS16, SYSCALLID, PORT -> 2;
            case INT32, UINT32, FLAGS32, MODE, UID, GID, SIGSET -> 4;
            default -> 8;
        };
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] addr4(int[] ip, int port) {
        return le(7).put((byte) 2).put(ip(ip)).putShort((short) port).array();
    }

    private static byte[] tuple4(int[] sip, int sport, int[] dip, int dport) {
        return le(13).put((byte) 2).put(ip(sip)).putShort((short) sport).put(ip(dip)).putShort((short) dport).array();
    }

    private static byte[] tuple6(byte[] sip, int sport, byte[] dip, int dport) {
        return le(37).put((byte) 10).put(sip).putShort((short) sport).put(dip).putShort((short) dport).array();
    }

    private static byte[] mapped(int a, int b, int c, int d) {
        return ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d);
    }

    private static byte[] unixTuple(long src, long dst, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return le(17 + p.length + 1).put((byte) 1).putLong(src).putLong(dst).put(p).put((byte) 0).array();
    }

    private static byte[] fdList(long[] fds, int[] flags) {
        ByteBuffer b = le(2 + 10 * fds.length).putShort((short) fds.length);
        for (int i = 0; i < fds.length; i++) {
            b.putLong(fds[i]).putShort((short) flags[i]);
        }
        return b.array();
    }

    private void events() throws IOException {
        long c = 100, t = 101;
        // fds of the fd list, each kind once
        for (long fd = 0; fd <= 11; fd++) {
            ev(c, 150, fd, 2L);              // fcntl(fd, F_GETFD)
            ev(c, 151, 0L);
        }
        ev(c, 150, 99L, 1L);                 // an fd sysdig does not know
        ev(c, 151, -9L);                      // EBADF
        // open with every flag spelling: exact table entries (O_RDWR), several bits, O_CREAT with an octal mode
        ev(c, 2, "/etc/hosts", 3L, 0L);
        ev(c, 3, 12L, "/etc/hosts", 3L, 0L, 2049L);
        ev(c, 2, "relative/file.txt", 4L | 2L | 256L | 4096L, 0644L);
        ev(c, 3, 13L, "relative/./../file.txt", 4L | 2L | 256L | 4096L, 0644L, 2049L);
        ev(c, 2, "/etc/shadow", 3L | 128L | 4096L, 0L); // O_RDWR names its bits: O_WRONLY/O_RDONLY must not follow
        ev(c, 3, -13L, "/etc/shadow", 0L, 0L, 0L);        // flags 0: O_NONE; EACCES
        ev(c, 2, "/missing", 1L, 0L);
        ev(c, 3, -2L, "/missing", 1L, 0L, 0L);
        ev(c, 306, -100L, "sub/dir", 1L | 1024L, 0L);      // openat(AT_FDCWD, O_DIRECTORY)
        ev(c, 307, 14L, -100L, "sub/dir", 1L | 1024L, 0L, 2049L);
        // reads and writes: long, binary, CRLF text, odd length, empty
        byte[] bin = new byte[200];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (i * 7);
        }
        ev(c, 6, 12L, 4096L);
        ev(c, 7, 200L, bin);
        byte[] http = "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.81\r\nAccept: */*\r\n\r\nbody\n\nend\r"
                .getBytes(StandardCharsets.US_ASCII);
        ev(c, 8, 3L, (long) http.length);
        ev(c, 9, (long) http.length, http);
        byte[] odd = "odd\u0001\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        ev(c, 8, 13L, (long) odd.length);
        ev(c, 9, (long) odd.length, odd);
        ev(c, 6, 0L, 10L);
        ev(c, 7, 0L, new byte[0]);
        ev(c, 112, 12L, 100L, 4096L);        // pread: HEX pos
        ev(c, 113, -11L, new byte[0]);       // EAGAIN
        // sockets: TCP connect, UDP send before a source, IPv4-mapped IPv6, unix, accept, bind
        ev(c, 18, 2L, 1L, 0L);
        ev(c, 19, 15L);
        ev(c, 22, 15L, addr4(new int[] {127, 0, 0, 1}, 8080));
        ev(c, 23, 0L, tuple4(new int[] {127, 0, 0, 1}, 40001, new int[] {127, 0, 0, 1}, 8080));
        ev(c, 18, 10L, 2L, 17L);
        ev(c, 19, 16L);
        ev(c, 30, 16L, 5L, tuple6(new byte[16], 0, ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9), 53));
        ev(c, 31, 5L, "hello".getBytes(StandardCharsets.US_ASCII));
        ev(c, 34, 16L, 512L);
        ev(c, 35, 3L, "ack".getBytes(StandardCharsets.US_ASCII),
                tuple6(ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9), 53, new byte[16], 0));
        ev(c, 18, 10L, 1L, 6L);
        ev(c, 19, 17L);
        ev(c, 22, 17L, new byte[0]);
        ev(c, 23, -115L, tuple6(mapped(10, 0, 0, 5), 40002, mapped(93, 184, 216, 34), 443));
        ev(c, 18, 1L, 1L, 0L);
        ev(c, 19, 18L);
        ev(c, 22, 18L, new byte[] {1, '/', 't', 'm', 'p', '/', 's', 0});
        ev(c, 23, 0L, unixTuple(0xffff8880cccc0000L, 0xffff8880dddd0000L, "/tmp/s"));
        ev(c, 20, 4L);
        ev(c, 21, -98L, addr4(new int[] {0, 0, 0, 0}, 8080)); // EADDRINUSE
        ev(c, 248, 524288L);                  // accept4(SOCK_CLOEXEC)
        ev(c, 249, 19L, tuple4(new int[] {192, 168, 1, 7}, 51000, new int[] {10, 0, 0, 5}, 8080), 25L, 1L, 4L);
        ev(c, 6, 19L, 100L);
        ev(c, 7, 2L, "hi".getBytes(StandardCharsets.US_ASCII));
        ev(c, 4, 19L);
        ev(c, 5, 0L);
        ev(c, 6, 19L, 100L);                  // closed: the name is gone
        ev(c, 7, -9L, new byte[0]);
        // pipes, dup, eventfd, signals, times, poll lists, uids, modes, memory, futex
        ev(c, 60);
        ev(c, 61, 0L, 20L, 21L, 777L);
        ev(c, 124, 20L);
        ev(c, 125, 22L);
        ev(c, 62, 0L, 0L);
        ev(c, 63, 23L);
        ev(c, 128, 50L, 15L);                 // kill(bash, SIGTERM)
        ev(c, 129, 0L);
        ev(c, 128, 4242L, 9L);                // a pid sysdig does not know
        ev(c, 129, -3L);                      // ESRCH
        ev(c, 134, 1_500_000_000L);
        ev(c, 135, 0L);
        ev(c, 134, 250L);
        ev(c, 135, -4L);
        ev(c, 134, -1L);
        ev(c, 135, 0L);
        ev(c, 80, fdList(new long[] {3, 16, 99}, new int[] {1, 4, 0x41}), 5000L);
        ev(c, 81, 1L, fdList(new long[] {3}, new int[] {1}));
        ev(c, 198, 1000L);
        ev(c, 199, -1L);
        ev(c, 198, 4321L);
        ev(c, 199, -1L);
        ev(c, 314);
        ev(c, 315, 0L, "notes.txt", 0100755L);
        ev(c, 160, 0L, 8192L, 3L, 34L, -1L, 0L);
        ev(c, 161, 0x7f00deadb000L, 9000L, 1200L, 0L);
        ev(c, 64, 0x7f00deadbeefL, 129L, 1L);
        ev(c, 65, -110L);                     // ETIMEDOUT
        ev(c, 142, 7L);                       // setrlimit(RLIMIT_NOFILE)
        ev(c, 143, 0L, 1024L, 4096L);
        ev(c, 242, 3L, 2L | 4L);              // flock(LOCK_EX|LOCK_NB)
        ev(c, 243, -9999L);                   // an errno with no name
        ev(c, 136, 1L, 0L);
        ev(c, 137, 24L);
        ev(c, 138, 0L);
        ev(c, 139, 25L);
        ev(c, 126, -1L, 0x4001L, 0L);
        ev(c, 127, 26L);
        ev(c, 110, -100L, "gone.txt");
        ev(c, 111, -2L);
        // dynamic parameters: the first byte picks the type (UINT32, ERRNO, RELTIME, BYTEBUF, out of range)
        ev(c, 44);
        ev(c, 45, 0L, 3L, 1L, 9L, le(5).put((byte) 2).putInt(1).array(), 4L);
        ev(c, 46);
        ev(c, 47, 0L, 3L, 1L, 4L, le(9).put((byte) 1).putLong(-111L).array(), 8L);
        ev(c, 46);
        ev(c, 47, 0L, 3L, 1L, 20L, le(9).put((byte) 4).putLong(1_500_000_000L).array(), 16L);
        ev(c, 46);
        ev(c, 47, 0L, 3L, 6L, 13L, new byte[] {0, 'a', 0, 'b'}, 3L);
        ev(c, 46);
        ev(c, 47, -22L, 3L, 1L, 2L, new byte[] {9, 1, 2}, 2L);
        ev(c, 168, 16L, 50L);
        ev(c, 169, 0L, le(9).put((byte) 0).putLong(0x7fff1234L).array(), le(2).put((byte) 1).put((byte) 9).array());
        ev(c, 0, (long) EventTable.syscallCode("mprotect"), 10L); // generic: no arguments shown
        ev(c, 1, (long) EventTable.syscallCode("mprotect"));
        ev(c, 234, 100L, 20L);                // procinfo: numbered, not printed
        // a thread of the same process, a clone that makes a new process, an execve that renames it
        ev(t, 6, 3L, 10L);
        ev(t, 7, 4L, "HTTP".getBytes(StandardCharsets.US_ASCII));
        ev(c, 222);
        ev(c, 223, 102L, "/usr/bin/curl", "-s\0".getBytes(StandardCharsets.US_ASCII), 100L, 100L, 50L,
                "/home/alice/", 1024L, 0L, 5L, 5000L, 1000L, 0L, "curl", "cpu=/\0".getBytes(StandardCharsets.US_ASCII),
                0x11L, 1000L, 1000L, 102L, 102L);
        ev(102L, 223, 0L, "/usr/bin/curl", "-s\0".getBytes(StandardCharsets.US_ASCII), 102L, 102L, 100L,
                "/home/alice/", 1024L, 0L, 5L, 5000L, 1000L, 0L, "curl", "cpu=/\0".getBytes(StandardCharsets.US_ASCII),
                0x11L, 1000L, 1000L, 102L, 102L);
        ev(102L, 292, "/bin/ls");
        byte[] env = ("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\0LANG=C.UTF-8\0"
                + "TERM=xterm-256color\0").getBytes(StandardCharsets.US_ASCII);
        ev(102L, 293, 0L, "/bin/ls", "-la\0/tmp\0".getBytes(StandardCharsets.US_ASCII), 102L, 102L, 100L,
                "/home/alice/", 1024L, 0L, 9L, 6000L, 800L, 0L, "ls", "cpu=/user.slice\0".getBytes(StandardCharsets.US_ASCII),
                env, 34816L, 102L, 1000L, 0L);
        ev(102L, 8, 3L, 4L);                  // inherited fd, named in the child
        ev(102L, 9, 4L, "data".getBytes(StandardCharsets.US_ASCII));
        ev(102L, 16);
        ev(102L, 186, 0L, 0L, 0L, 0L);
    }
}
