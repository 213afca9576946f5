// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.Interfaces;
import io.wiretop.host.ProcFs;
import io.wiretop.sys.OsError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Checks what a live capture's options name against the running system (an interface, a process,
 * a network namespace, the output file) before anything is loaded into the kernel: a name that
 * matches nothing gets one line now, instead of a capture that waits forever for packets that
 * cannot come.
 */
final class LiveTargets {
    private static final Path PROC = Path.of("/proc");

    private LiveTargets() {
    }

    /** -i: the device exists (tcpdump's words, exit 1). */
    static void requireInterface(String dev) {
        try {
            Interfaces.index(dev);
        } catch (IOException e) {
            throw new UserError("-i " + e.getMessage()); // "-i eth9: No such device exists"
        }
    }

    /**
     * -w: the file can be created or written, as the capture will do later; a file this probe
     * creates is removed again, an existing one is left as it is.
     */
    static void requireWritable(String file) {
        Path p = Path.of(file);
        try {
            if (Files.exists(p)) {
                Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
            } else {
                Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UserError("-w " + file + ": " + OsError.reason(e));
        }
    }

    /** --pid: a running process (packets are matched by process id, not by thread id). */
    static void requireProcess(long pid) {
        io.wiretop.host.TaskStatus st = ProcFs.system().taskStatus(pid, pid);
        if (st == null) {
            throw new UserError("--pid " + pid + ": no such process");
        }
        if (st.tgid() != pid) {
            throw new UserError("--pid " + pid + ": a thread of process " + st.tgid() + ": give the process id");
        }
    }

    /**
     * --pname of a recording: the processes whose comm is {@code comm} now (their children later
     * follow through the kernel's fork propagation); empty when none.
     */
    static java.util.Set<Integer> processesNamed(String comm) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        ProcFs proc = ProcFs.system();
        for (long pid : proc.pids()) {
            String c = proc.taskComm(pid, pid);
            // /proc gives the kernel's bytes as ISO-8859-1 chars; the name was typed in UTF-8
            if (c != null && new String(c.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    java.nio.charset.StandardCharsets.UTF_8).equals(comm)) {
                out.add((int) pid);
            }
        }
        return out;
    }

    /**
     * --netns: the inode of a network namespace, from an inode number (lsns -t net), a namespace
     * file (/proc/PID/ns/net, /run/netns/NAME) or a name of `ip netns`. A number must be the
     * namespace of a running process or of a bind-mounted namespace file.
     */
    static long netnsInode(String s) {
        if (s.matches("\\d{1,19}")) {
            long ino = Long.parseLong(s);
            if (!knownNetns().contains(ino)) {
                throw new UserError("--netns " + s + ": no network namespace has this inode (lsns -t net lists them)");
            }
            return ino;
        }
        String path = s.contains("/") ? s : "/run/netns/" + s;
        if (!Files.exists(Path.of(path))) {
            throw new UserError("--netns " + s + ": " + path + ": No such file or directory");
        }
        long ino = ProcFs.namespaceInode(Path.of(path)); // /proc/PID/ns/net: a link to "net:[inode]"
        if (ino == 0) {
            ino = boundNetns(path); // `ip netns add`: the namespace bind-mounted on a file
        }
        if (ino == 0) {
            throw new UserError("--netns " + s + ": not a network namespace (give /run/netns/NAME, /proc/PID/ns/net "
                    + "or an inode from lsns -t net)");
        }
        return ino;
    }

    /** Network namespaces in use: those of running processes and those bind-mounted on files. */
    private static java.util.Set<Long> knownNetns() {
        java.util.Set<Long> out = new java.util.HashSet<>();
        ProcFs fs = ProcFs.system();
        for (long pid : fs.pids()) {
            long ino = fs.netns(pid);
            if (ino != 0) {
                out.add(ino);
            }
        }
        for (String[] m : nsfsMounts()) {
            out.add(parseNetRoot(m[0]));
        }
        out.remove(0L);
        return out;
    }

    private static long boundNetns(String path) {
        String real;
        try {
            real = Path.of(path).toRealPath().toString();
        } catch (IOException e) {
            return 0;
        }
        for (String[] m : nsfsMounts()) {
            if (m[1].equals(real) || m[1].equals(path)) {
                return parseNetRoot(m[0]);
            }
        }
        return 0;
    }

    /** (root, mount point) of each nsfs mount in /proc/self/mountinfo; a net namespace's root is "net:[inode]". */
    private static List<String[]> nsfsMounts() {
        List<String[]> out = new java.util.ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC.resolve("self/mountinfo"));
        } catch (IOException e) {
            return out;
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = line.indexOf(" - ");
            if (f.length > 4 && dash > 0 && line.substring(dash + 3).startsWith("nsfs ")) {
                out.add(new String[]{f[3], f[4].replace("\\040", " ")});
            }
        }
        return out;
    }

    private static long parseNetRoot(String root) {
        if (!root.startsWith("net:[") || !root.endsWith("]")) {
            return 0;
        }
        try {
            return Long.parseLong(root.substring(5, root.length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
