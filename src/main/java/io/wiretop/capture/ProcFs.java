// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.model.ProcStat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads /proc. Every method tolerates a process that disappears mid-read (it returns null or
 * empty). The root is a parameter so tests can point it at a fake tree.
 */
public final class ProcFs {
    private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})");
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
            int end = b.length;
            while (end > 0 && b[end - 1] == 0) {
                end--;
            }
            for (int i = 0; i < end; i++) {
                if (b[i] == 0) {
                    b[i] = ' ';
                }
            }
            return new String(b, 0, end, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
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

    /** A container id (docker, containerd, podman, cri-o: 64 hex digits in the cgroup path) or "host". */
    public String containerId(long pid) {
        String s = read(root.resolve(Long.toString(pid)).resolve("cgroup"));
        if (s == null) {
            return "host";
        }
        Matcher m = CONTAINER_ID.matcher(s);
        return m.find() ? m.group(1).substring(0, 12) : "host";
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
        for (String f : new String[]{"tcp", "tcp6"}) {
            String s = read(root.resolve("net").resolve(f));
            if (s == null) {
                continue;
            }
            String[] lines = s.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].strip().split("\\s+");
                if (c.length > 3 && c[3].equals("0A")) {
                    String local = c[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
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
        String s;
        try {
            s = Files.readString(Path.of("/etc/passwd"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return;
        }
        for (String line : s.split("\n")) {
            String[] f = line.split(":");
            if (f.length > 2) {
                try {
                    users.putIfAbsent(Long.parseLong(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a malformed passwd line names nobody
                }
            }
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
