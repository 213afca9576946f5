// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
     * The ids of the cgroups of a container and of every cgroup below them: cgroups whose path
     * holds a container id ({@link ContainerIds}) starting with {@code idPrefix}. Empty when none exists.
     */
    public static Set<Long> containerCgroups(String idPrefix) throws IOException {
        return ContainerIds.isIdPrefix(idPrefix)
                ? containerCgroups(tree(), idPrefix.toLowerCase(java.util.Locale.ROOT)) : Set.of();
    }

    /** The cgroups of a tree whose path names a container whose id starts with {@code prefix} (lower case). */
    static Set<Long> containerCgroups(List<Dir> tree, String prefix) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Dir d : tree) {
            if (ContainerIds.onPath(d.path()).stream().anyMatch(id -> id.startsWith(prefix))) {
                ids.add(d.id());
            }
        }
        return ids;
    }

    /** Every container id that names a cgroup now (the innermost id on each path), in tree order. */
    public static Set<String> containerIds() throws IOException {
        return containerIds(tree());
    }

    static Set<String> containerIds(List<Dir> tree) {
        Set<String> ids = new LinkedHashSet<>();
        for (Dir d : tree) {
            String id = ContainerIds.ofPath(d.path());
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** One cgroup: its id (the directory's inode) and its path below the mount point ("" for the root). */
    record Dir(long id, String path) {
    }

    /**
     * Every cgroup of the v2 hierarchy, parents before children: the one walk of the tree. A cgroup
     * removed while it is walked is left out (containers come and go), the rest is still read.
     */
    static List<Dir> tree() throws IOException {
        return tree(Path.of(mountPoint()));
    }

    /** {@link #tree()} below another root (a fake tree in tests). */
    static List<Dir> tree(Path root) throws IOException {
        List<Dir> dirs = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                try {
                    dirs.add(new Dir(inode(d), root.relativize(d).toString()));
                } catch (IOException e) {
                    return FileVisitResult.SKIP_SUBTREE; // removed meanwhile
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed meanwhile, or a file we may not read
            }
        });
        return dirs;
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
