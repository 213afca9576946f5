// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.host.CgroupV2;
import io.wiretop.host.InetSocket;
import io.wiretop.host.OpenFd;
import io.wiretop.host.ProcFs;
import io.wiretop.host.TaskStatus;
import io.wiretop.sys.Accounts;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This machine's state now, as a .scap head: machine facts from /proc, interface addresses from
 * the JDK, users and groups from /etc, every thread and every process's open fds from /proc
 * (through {@link ProcFs}, the one /proc reader). Processes that exit while being read are left out.
 *
 * <p>The environment of processes is not recorded (env stays empty): it is the likeliest place
 * for secrets, and no view of csysdig shows it.
 */
public final class HostSnapshot {
    private final ProcFs proc;
    private final Path etc;
    private final List<String> cgroupControllers;

    public HostSnapshot(ProcFs proc, Path etc, Path cgroupRoot) {
        this.proc = proc;
        this.etc = etc;
        this.cgroupControllers = controllers(cgroupRoot);
    }

    public static HostSnapshot system() {
        return new HostSnapshot(ProcFs.system(), Path.of("/etc"), cgroupV2Root());
    }

    /** Where cgroup v2 is mounted (/sys/fs/cgroup/unified on hybrid hosts): its controllers name the "0::" line. */
    private static Path cgroupV2Root() {
        try {
            return Path.of(CgroupV2.mountPoint());
        } catch (java.io.IOException | RuntimeException e) {
            return Path.of("/sys/fs/cgroup");
        }
    }

    public ScapHead take() {
        List<ScapHead.Thread> threads = new ArrayList<>();
        Map<Long, List<ScapHead.Fd>> fds = new HashMap<>();
        Map<Long, InetSocket> inet = proc.inetSockets();
        Map<Long, String> unix = proc.unixSockets();
        List<Long> pids = proc.pids();
        Collections.sort(pids);
        for (long pid : pids) {
            List<ScapHead.Thread> group = process(pid);
            if (!group.isEmpty()) {
                threads.addAll(group);
                fds.put(pid, fds(pid, inet, unix));
            }
        }
        return new ScapHead(machine(), interfaces(), users(), groups(), threads, fds);
    }

    ScapHead.Machine machine() {
        int cpus = 0;
        String cpuinfo = proc.file("cpuinfo");
        if (cpuinfo != null) {
            for (String line : cpuinfo.split("\n")) {
                if (line.startsWith("processor")) {
                    cpus++;
                }
            }
        }
        if (cpus == 0) {
            cpus = Runtime.getRuntime().availableProcessors();
        }
        long memKb = field(proc.file("meminfo"), "MemTotal:");
        long bootSeconds = field(proc.file("stat"), "btime ");
        String host = proc.file("sys/kernel/hostname");
        String pidMax = proc.file("sys/kernel/pid_max");
        return new ScapHead.Machine(cpus, memKb * 1024, pidMax == null ? 0 : parse(pidMax.strip()),
                host == null ? "" : utf8(host.strip()), bootSeconds * 1_000_000_000L);
    }

    private static long field(String text, String key) {
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith(key)) {
                    return parse(line.substring(key.length()).strip().split("\\s+")[0]);
                }
            }
        }
        return 0;
    }

    static List<ScapHead.Interface> interfaces() {
        List<ScapHead.Interface> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                    byte[] addr = a.getAddress().getAddress();
                    byte[] mask = netmask(addr.length, a.getNetworkPrefixLength());
                    byte[] bcast = a.getAddress() instanceof Inet4Address && a.getBroadcast() != null
                            ? a.getBroadcast().getAddress() : new byte[addr.length];
                    out.add(new ScapHead.Interface(ni.getName(), addr, mask, bcast));
                }
            }
        } catch (SocketException e) {
            // no interface list: sysdig then guesses which end of a socket is local
        }
        return out;
    }

    static byte[] netmask(int bytes, int prefix) {
        byte[] m = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            m[i] = (byte) (0xFF00 >>> bits);
        }
        return m;
    }

    List<ScapHead.User> users() {
        List<ScapHead.User> out = new ArrayList<>();
        for (Accounts.User u : Accounts.users(etc.resolve("passwd"))) {
            out.add(new ScapHead.User(u.uid(), u.gid(), utf8(u.name()), utf8(u.home()), utf8(u.shell())));
        }
        return out;
    }

    List<ScapHead.Group> groups() {
        List<ScapHead.Group> out = new ArrayList<>();
        for (Accounts.Group g : Accounts.groups(etc.resolve("group"))) {
            out.add(new ScapHead.Group(g.gid(), utf8(g.name())));
        }
        return out;
    }

    /** The threads of one process, main thread first; empty if it is gone. */
    List<ScapHead.Thread> process(long pid) {
        byte[] argv = proc.argv(pid);
        if (argv == null) {
            return List.of();
        }
        int firstNul = indexOf(argv, (byte) 0);
        String comm0 = proc.taskComm(pid, pid);
        String exe = firstNul < 0 ? new String(argv, StandardCharsets.UTF_8)
                : new String(argv, 0, firstNul, StandardCharsets.UTF_8);
        if (argv.length == 0 && comm0 != null) {
            exe = utf8(comm0); // kernel threads have no argv: sysdig shows their comm
        }
        byte[] args = firstNul < 0 ? new byte[0] : nulTerminated(Arrays.copyOfRange(argv, firstNul + 1, argv.length));
        String exePath = proc.processLink(pid, "exe");
        String cwd = proc.processLink(pid, "cwd");
        String root = proc.processLink(pid, "root");
        long fdLimit = proc.openFilesLimit(pid);
        byte[] cgroups = cgroups(proc.processFile(pid, "cgroup"));
        String login = proc.processFile(pid, "loginuid");
        int loginUid = login == null ? -1 : (int) parse(login.strip());
        List<Long> tids = proc.tids(pid);
        Collections.sort(tids);
        tids.remove(Long.valueOf(pid));
        tids.add(0, pid);
        List<ScapHead.Thread> out = new ArrayList<>();
        for (long tid : tids) {
            TaskStatus st = proc.taskStatus(pid, tid);
            String comm = proc.taskComm(pid, tid);
            if (st == null || comm == null) {
                if (tid == pid) {
                    return List.of(); // the process is gone
                }
                continue;
            }
            int flags = tid == pid ? 0 : ScapHead.Thread.PPM_CL_CLONE_FILES | ScapHead.Thread.PPM_CL_CLONE_THREAD;
            out.add(new ScapHead.Thread(tid, pid, st.ppid(), st.sid(), st.pgid(), utf8(comm), exe, exePath, args,
                    cwd, fdLimit, flags, st.uid(), st.gid(), st.vmSizeKb(), st.vmRssKb(), st.vmSwapKb(),
                    st.majorFaults(), st.minorFaults(), new byte[0], st.vtid(), st.vpid(), cgroups, root, loginUid,
                    st.userTicks(), st.systemTicks()));
        }
        return out;
    }

    /** /proc/[pid]/cgroup as sysdig's "subsys=path" items; the v2 line once per controller. */
    byte[] cgroups(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (text != null) {
            for (String line : text.split("\n")) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                List<String> subsystems = f[1].isEmpty() ? cgroupControllers : Arrays.asList(f[1].split(","));
                for (String s : subsystems) {
                    out.writeBytes((s + "=" + f[2]).getBytes(StandardCharsets.ISO_8859_1));
                    out.write(0);
                }
            }
        }
        return out.toByteArray();
    }

    private static List<String> controllers(Path cgroupRoot) {
        try {
            String s = Files.readString(cgroupRoot.resolve("cgroup.controllers")).strip();
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The open fds of a process as fd-list entries; sockets of other namespaces and unknown kinds are left out. */
    List<ScapHead.Fd> fds(long pid, Map<Long, InetSocket> inet, Map<Long, String> unix) {
        List<ScapHead.Fd> out = new ArrayList<>();
        for (OpenFd f : proc.openFds(pid)) {
            ScapHead.Fd e = entry(f, inet, unix);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    static ScapHead.Fd entry(OpenFd f, Map<Long, InetSocket> inet, Map<Long, String> unix) {
        String t = f.target(); // a link read by the JDK: already decoded
        if (t.startsWith("/")) {
            return (f.flags() & 0200000) != 0 // O_DIRECTORY
                    ? ScapHead.Fd.named(f.fd(), f.inode(), ScapHead.Fd.DIRECTORY, t)
                    : ScapHead.Fd.file(f.fd(), f.inode(), t, PpmFlags.openFlags(f.flags()), f.device());
        }
        if (t.startsWith("socket:")) {
            InetSocket s = inet.get(f.inode());
            if (s != null) {
                int l4 = s.tcp() ? ScapHead.Fd.L4_TCP : ScapHead.Fd.L4_UDP;
                if (s.isServer()) {
                    return ScapHead.Fd.server(f.fd(), f.inode(), ipv4IfMapped(s.localAddr()), s.localPort(), l4);
                }
                byte[] local = s.localAddr(), remote = s.remoteAddr();
                if (isV4Mapped(local) && isV4Mapped(remote)) { // libsinsp's rule for such tuples
                    local = ipv4IfMapped(local);
                    remote = ipv4IfMapped(remote);
                }
                return ScapHead.Fd.inet(f.fd(), f.inode(), local, s.localPort(), remote, s.remotePort(), l4);
            }
            String path = unix.get(f.inode());
            return path == null ? null : ScapHead.Fd.unix(f.fd(), f.inode(), 0, 0, utf8(path));
        }
        if (t.startsWith("pipe:")) {
            return ScapHead.Fd.named(f.fd(), f.inode(), ScapHead.Fd.FIFO, t);
        }
        int type = switch (t) {
            case "anon_inode:[eventpoll]" -> ScapHead.Fd.EVENTPOLL;
            case "anon_inode:[eventfd]" -> ScapHead.Fd.EVENT;
            case "anon_inode:inotify" -> ScapHead.Fd.INOTIFY;
            case "anon_inode:[timerfd]" -> ScapHead.Fd.TIMERFD;
            case "anon_inode:[signalfd]" -> ScapHead.Fd.SIGNALFD;
            default -> ScapHead.Fd.UNSUPPORTED;
        };
        return ScapHead.Fd.named(f.fd(), f.inode(), type, t);
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d), as a dual-stack socket bound to IPv4 has. */
    static boolean isV4Mapped(byte[] a) {
        if (a.length != 16 || (a[10] & 0xFF) != 0xFF || (a[11] & 0xFF) != 0xFF) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address inside an IPv4-mapped one; any other address as it is. */
    static byte[] ipv4IfMapped(byte[] a) {
        return isV4Mapped(a) ? Arrays.copyOfRange(a, 12, 16) : a;
    }

    /** ProcFs hands file bytes as ISO-8859-1 chars; names are UTF-8 by convention. */
    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static byte[] nulTerminated(byte[] b) {
        return b.length == 0 || b[b.length - 1] == 0 ? b : Arrays.copyOf(b, b.length + 1);
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
