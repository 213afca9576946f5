// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cgroup v2 hierarchy: its mount point (e.g. /sys/fs/cgroup or, on hybrid hosts,
 * /sys/fs/cgroup/unified), a process's cgroup id (the directory's inode, what
 * bpf_get_current_cgroup_id() returns) and a container's cgroups found by id.
 */
public final class CgroupV2 {
    private CgroupV2() {
    }

    /** The first cgroup2 mount in /proc/self/mountinfo; a clear exception when there is none. */
    public static String mountPoint() throws IOException {
        return fromMountInfo(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    /** The cgroup v2 id of a running process, or 0 when it cannot be read. */
    public static long idOf(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup"))) {
                if (l.startsWith("0::")) {
                    return inode(Path.of(mountPoint() + l.substring(3)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // exited, or no cgroup v2
        }
        return 0;
    }

    /**
     * The ids of the cgroups of a container and of every cgroup below them: directories whose name
     * holds a 64-hex-digit container id starting with {@code idPrefix} (docker-ID.scope,
     * cri-containerd-ID.scope, libpod-ID.scope, /docker/ID...). Empty when none exists.
     */
    public static Set<Long> containerCgroups(String idPrefix) throws IOException {
        String prefix = idPrefix.toLowerCase(java.util.Locale.ROOT);
        Set<Long> ids = new LinkedHashSet<>();
        if (!prefix.matches("[0-9a-f]{1,64}")) {
            return ids;
        }
        Pattern id = Pattern.compile("(?<![0-9a-f])" + prefix + "[0-9a-f]{" + (64 - prefix.length()) + "}(?![0-9a-f])");
        try (Stream<Path> dirs = Files.walk(Path.of(mountPoint()))) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                if (id.matcher(d.getFileName() == null ? "" : d.getFileName().toString()).find()) {
                    try (Stream<Path> below = Files.walk(d)) {
                        for (Path b : (Iterable<Path>) below.filter(Files::isDirectory)::iterator) {
                            ids.add(inode(b));
                        }
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a cgroup removed while walking
        }
        return ids;
    }

    static long inode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    static String fromMountInfo(List<String> lines) throws IOException {
        for (String line : lines) {
            // "36 25 0:31 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                return before[4].replace("\\040", " ");
            }
        }
        throw new IOException("no cgroup v2 filesystem is mounted (packet capture attaches to the cgroup v2 root)");
    }
}
