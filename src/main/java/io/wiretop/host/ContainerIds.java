// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container ids in cgroup paths: the 64 hex digits that docker (/docker/ID, docker-ID.scope),
 * containerd (cri-containerd-ID.scope), podman (libpod-ID.scope) and cri-o (crio-ID.scope) put in
 * the name of a container's cgroup. The one reader of that id: the process table, packet contexts
 * and the cgroup walker behind --container-id all ask here, so they name the same container.
 */
public final class ContainerIds {
    /** How many leading digits name a container in tables (the short id docker prints). */
    public static final int SHORT_LENGTH = 12;
    // a whole run of 64: never the head of a longer hex string
    private static final Pattern ID = Pattern.compile("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])");

    private ContainerIds() {
    }

    /** Every id on one cgroup path, outermost first (a nested container's path holds its host's too). */
    public static List<String> onPath(String path) {
        List<String> ids = new ArrayList<>(1);
        Matcher m = ID.matcher(path);
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    /** The container a cgroup belongs to: the innermost id on its path, or null when it is no container's. */
    public static String ofPath(String path) {
        List<String> ids = onPath(path);
        return ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }

    /**
     * The container of a process from its /proc/[pid]/cgroup text ("hierarchy:controllers:path"
     * lines): the container of the first line whose path names one, or null.
     */
    public static String ofProcCgroup(String text) {
        for (String line : text.split("\n")) {
            String id = ofPath(line);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /**
     * The container of a thread from the cgroups a capture gives it (sysdig's "subsys=path" items of
     * the process list, clone and execve): the first item's container, or null.
     */
    public static String ofItems(List<String> items) {
        for (String item : items) {
            String id = ofPath(item);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /** Whether a user's text can name a container: 1 to 64 hex digits, a whole id or its start (any case). */
    public static boolean isIdPrefix(String s) {
        return s.matches("[0-9a-fA-F]{1,64}");
    }

    /** The short form of a container id. */
    public static String shortId(String id) {
        return id.length() > SHORT_LENGTH ? id.substring(0, SHORT_LENGTH) : id;
    }
}
