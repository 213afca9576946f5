// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.CgroupV2;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;
import io.wiretop.sys.OsError;
import io.wiretop.text.SafeText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code --container-id}, {@code --container-name} and {@code --pod} select on this machine:
 * the cgroup v2 ids of the containers they name (and of every cgroup below them), which the kernel
 * then matches against each packet's socket. Ids come from the cgroup tree (host.ContainerIds),
 * names and pods from the runtimes ({@link ContainerDirectory}), asked once at start: a container
 * that starts later under the same name is not followed (its id is new).
 */
final class ContainerTargets {
    /** How long names wait for the runtimes' first answers (they are asked off this thread). */
    static final long ANSWER_MILLIS = 3000;

    private ContainerTargets() {
    }

    /** The options' values (each may be null), as the user typed them. */
    record Asked(String id, String name, String pod) {
        boolean any() {
            return id != null || name != null || pod != null;
        }
    }

    /** The cgroups of every container the options name (union); a UserError when one names none. */
    static Set<Long> cgroups(Asked asked, ContainerDirectory directory) {
        Set<Long> out = new LinkedHashSet<>();
        if (asked.id() != null) {
            out.addAll(cgroupsOf("--container-id", asked.id(), asked.id()));
        }
        if (asked.name() == null && asked.pod() == null) {
            return out;
        }
        Map<String, ContainerMeta> known = answers(directory);
        if (asked.name() != null) {
            for (String id : matching(known, asked.name(), "--container-name", false)) {
                out.addAll(cgroupsOf("--container-name", asked.name(), id));
            }
        }
        if (asked.pod() != null) {
            for (String id : matching(known, asked.pod(), "--pod", true)) {
                out.addAll(cgroupsOf("--pod", asked.pod(), id));
            }
        }
        return out;
    }

    private static Set<Long> cgroupsOf(String option, String value, String id) {
        Set<Long> cg;
        try {
            cg = CgroupV2.containerCgroups(id);
        } catch (IOException e) {
            throw new UserError(option + " " + SafeText.escape(value) + ": " + OsError.reason(e));
        }
        if (cg.isEmpty()) {
            throw new UserError(option + " " + SafeText.escape(value) + ": no cgroup holds that id");
        }
        return cg;
    }

    /** What the runtimes say of every container running now, after waiting for their first answers. */
    static Map<String, ContainerMeta> answers(ContainerDirectory directory) {
        Set<String> ids;
        try {
            ids = CgroupV2.containerIds();
        } catch (IOException e) {
            throw new UserError("containers: " + OsError.reason(e));
        }
        return answers(directory, ids, ANSWER_MILLIS);
    }

    /** After a runtime's first answer, how long the other ids may still take (a pod's own id never gets one). */
    static final long MORE_MILLIS = 500;

    /**
     * Asks about each id until every one is answered by a runtime, or the time is up: waitMillis,
     * or {@link #MORE_MILLIS} after the first answer (runtimes answer their containers together;
     * ids no runtime knows, like a podman pod's cgroup, would otherwise hold the start for the whole wait).
     */
    static Map<String, ContainerMeta> answers(ContainerDirectory directory, Set<String> ids, long waitMillis) {
        Map<String, ContainerMeta> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        boolean answered = false;
        while (true) {
            boolean all = true;
            for (String id : ids) {
                ContainerMeta m = out.get(id);
                if (m == null || m.runtime() == null) {
                    m = directory.lookup(id);
                    out.put(id, m);
                    all &= m.runtime() != null;
                    if (m.runtime() != null && !answered) {
                        answered = true;
                        deadline = Math.min(deadline, System.nanoTime() + MORE_MILLIS * 1_000_000L);
                    }
                }
            }
            if (all || System.nanoTime() > deadline) {
                return out;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return out;
            }
        }
    }

    /**
     * The ids whose container has this name (docker's leading '/' aside), or whose pod does
     * ("name" or ptcpdump's "name.namespace"); a UserError naming why when there is none.
     */
    static List<String> matching(Map<String, ContainerMeta> known, String value, String option, boolean pod) {
        List<String> ids = new ArrayList<>();
        boolean answered = false;
        for (Map.Entry<String, ContainerMeta> e : known.entrySet()) {
            ContainerMeta m = e.getValue();
            answered |= m.runtime() != null || m.name() != null;
            if (pod ? podIs(m, value) : value.equals(strip(m.name()))) {
                ids.add(e.getKey());
            }
        }
        if (!ids.isEmpty()) {
            return ids;
        }
        String v = option + " " + SafeText.escape(value) + ": ";
        if (known.isEmpty()) {
            throw new UserError(v + "no container is running");
        }
        if (!answered) {
            throw new UserError(v + "no container runtime answered for the " + known.size() + " running containers"
                    + " (names and pods come from docker or podman)");
        }
        throw new UserError(v + (pod ? "no running container belongs to a pod of this name"
                : "no running container has this name"));
    }

    private static boolean podIs(ContainerMeta m, String value) {
        if (m.pod() == null) {
            return false;
        }
        return value.equals(m.pod()) || (m.namespace() != null && value.equals(m.pod() + "." + m.namespace()));
    }

    private static String strip(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }
}
