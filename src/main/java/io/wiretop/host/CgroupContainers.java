// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Container ids by cgroup v2 id: the id ({@link ContainerIds}) that a runtime puts in the name of the
 * container's cgroup (or of one above it). Packets carry their owner's cgroup id from the kernel,
 * so a process that exited before /proc could be read still names its container. The cgroup tree
 * is walked again on an unknown id, at most once a second. Confined to one thread.
 */
public final class CgroupContainers {
    private final Map<Long, ContainerRef> ids = new HashMap<>();
    private final Set<Long> none = new HashSet<>();
    private long walkedAt = Long.MIN_VALUE / 2;

    /** The container id of a cgroup, or null when it is no container's (or unknown). */
    public String idOf(long cgroupId) {
        ContainerRef ref = refOf(cgroupId);
        return ref == null ? null : ref.id();
    }

    /** The container (with its runtime hint and pod) of a cgroup, or null when it is no container's (or unknown). */
    public ContainerRef refOf(long cgroupId) {
        ContainerRef id = ids.get(cgroupId);
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

    /**
     * Every container the cgroup tree names now, by full and short id (the runtime hint of a
     * container no runtime answered for). One walk of {@link CgroupV2#tree()}; empty without cgroup v2.
     */
    public static java.util.Map<String, ContainerRef> onHost() {
        java.util.Map<String, ContainerRef> refs = new HashMap<>();
        try {
            for (CgroupV2.Dir d : CgroupV2.tree()) {
                ContainerRef ref = ContainerIds.parse(d.path());
                if (ref != null) {
                    refs.putIfAbsent(ref.id(), ref);
                    refs.putIfAbsent(ref.shortId(), ref);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 mounted: no hints
        }
        return refs;
    }

    private void walk() {
        try {
            for (CgroupV2.Dir d : CgroupV2.tree()) {
                ContainerRef id = ContainerIds.parse(d.path());
                if (id != null) {
                    ids.put(d.id(), id);
                }
            }
        } catch (IOException e) {
            return; // no cgroup v2: no container is known by cgroup id
        }
        none.clear();
    }
}
