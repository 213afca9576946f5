// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import io.wiretop.model.ProcStat;
import io.wiretop.sys.Accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads /proc. Every method tolerates a process that disappears mid-read (it returns null or
 * empty). The root is a parameter so tests can point it at a fake tree.
 */
public final class ProcFs {
    private final Path root;
    private final Map<Long, String> users = new HashMap<>();

    public ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** Every numeric entry of /proc: the live processes. */
    public List<Long> pids() {
        return numericEntries(root);
    }

    /** Thread ids of a process. */
    public List<Long> tids(long pid) {
        return numericEntries(root.resolve(Long.toString(pid)).resolve("task"));
    }

    public ProcStat stat(long pid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("stat"));
        return s == null ? null : ProcStat.parse(s.strip());
    }

    public ProcStat threadStat(long pid, long tid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid)).resolve("stat"));
        return s == null ? null : ProcStat.parse(s.strip());
    }

    /** argv joined with spaces; empty for kernel threads; null if the process is gone. */
    public String cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
            return argvText(b, b.length);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * argv as the kernel holds it (each item followed by NUL; the first {@code len} bytes of
     * {@code argv}, which this overwrites) as one line: the items joined with spaces, UTF-8.
     */
    public static String argvText(byte[] argv, int len) {
        int end = len;
        while (end > 0 && argv[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (argv[i] == 0) {
                argv[i] = ' ';
            }
        }
        return new String(argv, 0, end, StandardCharsets.UTF_8);
    }

    /** The real uid from /proc/[pid]/status, or -1. */
    public long uid(long pid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("status"));
        if (s == null) {
            return -1;
        }
        for (String line : s.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).strip().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        return -1;
    }

    /** The short id of a process's container ({@link ContainerIds#shortId}), or "host". */
    public String containerId(long pid) {
        String id = fullContainerId(pid);
        return id == null ? "host" : ContainerIds.shortId(id);
    }

    /** The whole id of a process's container ({@link ContainerIds#ofProcCgroup}), or null (host, or gone). */
    public String fullContainerId(long pid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("cgroup"));
        return s == null ? null : ContainerIds.ofProcCgroup(s);
    }

    /** Where fd N of a process points (a path for files), or null. */
    public String fdTarget(long pid, int fd) {
        try {
            return Files.readSymbolicLink(root.resolve(Long.toString(pid)).resolve("fd").resolve(Integer.toString(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Local ports in LISTEN state, IPv4 and IPv6 (from /proc/net/tcp and tcp6). */
    public Set<Integer> listeningTcpPorts() {
        Set<Integer> ports = new HashSet<>();
        for (InetSocket so : inetSockets(true, false).values()) {
            if (so.state() == InetSocket.TCP_LISTEN) {
                ports.add(so.localPort());
            }
        }
        return ports;
    }

    /** Every IPv4/IPv6 TCP and UDP socket of this network namespace by inode. */
    public Map<Long, InetSocket> inetSockets() {
        return inetSockets(true, true);
    }

    private Map<Long, InetSocket> inetSockets(boolean tcp, boolean udp) {
        Map<Long, InetSocket> out = new HashMap<>();
        for (InetSocket so : inetSocketList(tcp, udp)) {
            out.put(so.inode(), so);
        }
        return out;
    }

    /**
     * Every line of /proc/net/{tcp,tcp6,udp,udp6}: unlike {@link #inetSockets()}, sockets that no
     * longer have an inode (TIME_WAIT, orphaned FIN_WAIT: inode 0) each count.
     */
    public List<InetSocket> inetSocketList() {
        return inetSocketList(true, true);
    }

    private List<InetSocket> inetSocketList(boolean tcp, boolean udp) {
        List<InetSocket> out = new ArrayList<>();
        for (String f : new String[]{"tcp", "tcp6", "udp", "udp6"}) {
            boolean isTcp = f.startsWith("tcp");
            if (isTcp ? !tcp : !udp) {
                continue;
            }
            String s = read(root.resolve("net").resolve(f));
            if (s == null) {
                continue;
            }
            String[] lines = s.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].strip().split("\\s+");
                if (c.length < 10) {
                    continue;
                }
                try {
                    int lc = c[1].indexOf(':'), rc = c[2].indexOf(':');
                    long inode = Long.parseLong(c[9]);
                    out.add(new InetSocket(inode, isTcp, hexAddress(c[1].substring(0, lc)),
                            Integer.parseInt(c[1].substring(lc + 1), 16), hexAddress(c[2].substring(0, rc)),
                            Integer.parseInt(c[2].substring(rc + 1), 16), Integer.parseInt(c[3], 16)));
                } catch (RuntimeException e) {
                    // a malformed line describes no socket
                }
            }
        }
        return out;
    }

    /** /proc/net's address: 32-bit words printed as host-order (little-endian) hex; back to network order. */
    private static byte[] hexAddress(String hex) {
        byte[] a = new byte[hex.length() / 2];
        for (int w = 0; w < a.length / 4; w++) {
            long word = Long.parseLong(hex.substring(w * 8, w * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                a[w * 4 + i] = (byte) (word >>> (8 * i));
            }
        }
        return a;
    }

    /** Unix sockets by inode with their bound path ("" when unnamed), from /proc/net/unix. */
    public Map<Long, String> unixSockets() {
        Map<Long, String> out = new HashMap<>();
        String s = read(root.resolve("net").resolve("unix"));
        if (s == null) {
            return out;
        }
        String[] lines = s.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] c = lines[i].strip().split("\\s+", 8);
            if (c.length >= 7) {
                try {
                    out.put(Long.parseLong(c[6]), c.length > 7 ? c[7] : "");
                } catch (NumberFormatException e) {
                    // not a socket line
                }
            }
        }
        return out;
    }

    /** The status and stat fields of one thread, or null if it is gone. */
    public TaskStatus taskStatus(long pid, long tid) {
        Path task = root.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid));
        String stat = read(task.resolve("stat"));
        String status = read(task.resolve("status"));
        String[] f = stat == null ? null : ProcStat.fieldsAfterComm(stat.strip());
        if (f == null || status == null) {
            return null;
        }
        Map<String, String> kv = new HashMap<>();
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                kv.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        try {
            return new TaskStatus(first(kv, "Tgid", pid), first(kv, "PPid", 0), Long.parseLong(f[3]),
                    Long.parseLong(f[2]), first(kv, "Uid", -1), first(kv, "Gid", -1), last(kv, "NSpid", tid),
                    last(kv, "NStgid", pid), first(kv, "VmSize", 0), first(kv, "VmRSS", 0), first(kv, "VmSwap", 0),
                    Long.parseLong(f[7]), Long.parseLong(f[9]), Long.parseLong(f[11]), Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long first(Map<String, String> kv, String key, long absent) {
        String v = kv.get(key);
        return v == null || v.isEmpty() ? absent : Long.parseLong(v.split("\\s+")[0]);
    }

    private static long last(Map<String, String> kv, String key, long absent) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        String[] w = v.split("\\s+");
        return Long.parseLong(w[w.length - 1]);
    }

    /** A thread's comm as the kernel holds it (bytes as ISO-8859-1 chars), or null. */
    public String taskComm(long pid, long tid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid)).resolve("comm"));
        return s == null ? null : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** A thread's name as text (comm decoded as UTF-8, without its newline), or null if it is gone. */
    public String threadName(long pid, long tid) {
        String s = taskComm(pid, tid);
        return s == null ? null : new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
    }

    /**
     * The command of a process: its exe link, else argv[0], else its comm; null if it is gone. The
     * exe link of another process can be unreadable even to root (PID 1 in a sandbox: EACCES), and a
     * parent shown as "?" is no help; ps falls back to the name the same way.
     */
    public String command(long pid) {
        String exe = processLink(pid, "exe");
        if (!exe.isEmpty()) {
            return exe;
        }
        byte[] argv = argv(pid);
        int end = 0;
        while (argv != null && end < argv.length && argv[end] != 0) {
            end++;
        }
        if (end > 0) {
            return new String(argv, 0, end, StandardCharsets.UTF_8);
        }
        String comm = threadName(pid, pid);
        return comm == null || comm.isEmpty() ? null : comm;
    }

    /** argv as the kernel holds it (each item followed by NUL), or null; empty for kernel threads. */
    public byte[] argv(long pid) {
        try {
            return Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
        } catch (IOException e) {
            return null;
        }
    }

    /** The raw text of a small per-process file ("cgroup", "loginuid", "limits"...), or null. */
    public String processFile(long pid, String name) {
        return read(root.resolve(Long.toString(pid)).resolve(name));
    }

    /** The raw text of a file under the /proc root ("meminfo", "sys/kernel/hostname"...), or null. */
    public String file(String relative) {
        return read(root.resolve(relative));
    }

    /** Where a per-process link ("exe", "cwd", "root") points, or "" when unreadable (kernel threads). */
    public String processLink(long pid, String name) {
        try {
            return Files.readSymbolicLink(root.resolve(Long.toString(pid)).resolve(name)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The soft limit of open files (/proc/[pid]/limits), or 0 when unknown. */
    public long openFilesLimit(long pid) {
        String s = processFile(pid, "limits");
        if (s != null) {
            for (String line : s.split("\n")) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        }
        return 0;
    }

    /** Where each open fd of a process points, by fd (links only: cheaper than {@link #openFds}); empty if it is gone. */
    public Map<Integer, String> fdTargets(long pid) {
        Map<Integer, String> out = new LinkedHashMap<>();
        Path fds = root.resolve(Long.toString(pid)).resolve("fd");
        for (Long fd : numericEntries(fds)) {
            try {
                out.put(fd.intValue(), Files.readSymbolicLink(fds.resolve(Long.toString(fd))).toString());
            } catch (IOException | RuntimeException e) {
                // closed meanwhile, or a descriptor we may not inspect
            }
        }
        return out;
    }

    /** The open fds of a process with target, inode, flags and device; empty if it is gone. */
    public List<OpenFd> openFds(long pid) {
        List<OpenFd> out = new ArrayList<>();
        Path proc = root.resolve(Long.toString(pid));
        for (Map.Entry<Integer, String> e : fdTargets(pid).entrySet()) {
            int fd = e.getKey();
            String target = e.getValue();
            try {
                long inode = 0, device = 0;
                int flags = 0;
                String info = read(proc.resolve("fdinfo").resolve(Integer.toString(fd)));
                if (info != null) {
                    for (String line : info.split("\n")) {
                        if (line.startsWith("flags:")) {
                            flags = Integer.parseInt(line.substring(6).strip(), 8);
                        } else if (line.startsWith("ino:")) {
                            inode = Long.parseLong(line.substring(4).strip());
                        }
                    }
                }
                if (target.startsWith("/")) {
                    // the file's own identity: stat through the link (fdinfo's ino is the same, when present)
                    Map<String, Object> a = Files.readAttributes(proc.resolve("fd").resolve(Integer.toString(fd)),
                            "unix:ino,dev");
                    inode = (Long) a.get("ino");
                    device = (Long) a.get("dev");
                } else if (inode == 0) {
                    inode = bracketNumber(target);
                }
                out.add(new OpenFd(fd, target, inode, flags, device));
            } catch (IOException | RuntimeException ex) {
                // closed meanwhile, or a descriptor we may not inspect
            }
        }
        return out;
    }

    /** The inode of a process's network namespace ({@link #namespaceInode}), or 0 when unreadable. */
    public long netns(long pid) {
        return namespaceInode(root.resolve(Long.toString(pid)).resolve("ns").resolve("net"));
    }

    /** The inode a namespace link names ("net:[4026531840]": /proc/PID/ns/net, /proc/self/ns/net), or 0 when unreadable. */
    public static long namespaceInode(Path link) {
        try {
            return bracketNumber(Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** The number in "socket:[123]" or "pipe:[123]", or 0. */
    public static long bracketNumber(String target) {
        int open = target.indexOf(":[");
        if (open < 0 || !target.endsWith("]")) {
            return 0;
        }
        try {
            return Long.parseLong(target.substring(open + 2, target.length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The user name of a uid from /etc/passwd (cached), or the number. */
    public String userName(long uid) {
        if (uid < 0) {
            return "";
        }
        String name = users.get(uid);
        if (name == null) {
            loadUsers();
            name = users.computeIfAbsent(uid, u -> Long.toString(u));
        }
        return name;
    }

    private void loadUsers() {
        for (Accounts.User u : Accounts.users(Path.of("/etc/passwd"))) {
            users.putIfAbsent(u.uid(), u.name());
        }
    }

    private static List<Long> numericEntries(Path dir) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
                    try {
                        out.add(Long.parseLong(n));
                    } catch (NumberFormatException e) {
                        // not a pid
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);

    /**
     * Reads a small /proc file with open/read/close and one reused buffer (Files.readString also
     * stats the file and allocates per call: this runs for every process on every tick).
     */
    private String read(Path p) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            buf.clear();
            while (ch.read(buf) > 0) {
                if (!buf.hasRemaining()) {
                    return Files.readString(p, StandardCharsets.ISO_8859_1); // larger than the buffer
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }
}
