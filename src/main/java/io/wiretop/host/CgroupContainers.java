// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Container ids by cgroup v2 id: the 64-hex-digit id that a runtime puts in the name of the
 * container's cgroup (or of one above it). Packets carry their owner's cgroup id from the kernel,
 * so a process that exited before /proc could be read still names its container. The cgroup tree
 * is walked again on an unknown id, at most once a second. Confined to one thread.
 */
public final class CgroupContainers {
    private static final Pattern ID = Pattern.compile("(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])");
    private final Map<Long, String> ids = new HashMap<>();
    private final Set<Long> none = new HashSet<>();
    private long walkedAt = Long.MIN_VALUE / 2;

    /** The container id of a cgroup, or null when it is no container's (or unknown). */
    public String idOf(long cgroupId) {
        String id = ids.get(cgroupId);
        if (id != null || none.contains(cgroupId)) {
            return id;
        }
        long now = System.nanoTime();
        if (now - walkedAt > 1_000_000_000L) {
            walkedAt = now;
            walk();
            id = ids.get(cgroupId);
        }
        if (id == null && none.size() < 65536) {
            none.add(cgroupId);
        }
        return id;
    }

    private void walk() {
        Path root;
        try {
            root = Path.of(CgroupV2.mountPoint());
        } catch (IOException e) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Matcher m = ID.matcher(root.relativize(d).toString());
                String last = null;
                while (m.find()) {
                    last = m.group(1); // the innermost id: a pod's cgroup holds its containers'
                }
                if (last != null) {
                    ids.put(CgroupV2.inode(d), last);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a cgroup removed while walking: what was read is kept, the next miss walks again
        }
        none.clear();
    }
}
