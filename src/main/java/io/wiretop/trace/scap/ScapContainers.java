// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerIds;
import io.wiretop.host.ContainerMeta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The containers of a .scap file, as sysdig writes them: one container event (PPME_CONTAINER_JSON_2_E,
 * 324, a JSON object in libsinsp's {@code container_to_json} layout) per container a thread of the head
 * runs in, before any other event (libsinsp reads the container events first, then imports the
 * threads). sysdig names a thread's container from the thread's cgroups with its own engines; the
 * event gives that id its name, image, labels and, as the {@code io.kubernetes.pod.*} labels that
 * libsinsp's k8s.pod.name and k8s.ns.name read, its pod. Only containers a runtime answered for are
 * written: an id alone is what sysdig finds without them. Values go in as JSON strings (escaped by the
 * JSON writer), so a runtime's text cannot change the event's structure.
 */
public final class ScapContainers {
    /** driver/ppm_events_public.h */
    static final int CONTAINER_JSON_2_E = 324;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScapContainers() {
    }

    /** The container ids the threads' cgroups name (innermost id of each thread), in order. */
    public static Set<String> ids(List<ScapHead.Thread> threads) {
        Set<String> ids = new LinkedHashSet<>();
        for (ScapHead.Thread t : threads) {
            for (String item : new String(t.cgroups(), StandardCharsets.UTF_8).split("\0")) {
                String id = ContainerIds.ofPath(item);
                if (id != null) {
                    ids.add(id);
                    break;
                }
            }
        }
        return ids;
    }

    /**
     * Writes a container event for each container of the threads that the directory can name;
     * returns the ids written.
     */
    public static Set<String> write(ScapWriter w, List<ScapHead.Thread> threads, ContainerDirectory directory,
                                    long tsNanos) throws IOException {
        Set<String> written = new LinkedHashSet<>();
        for (String id : ids(threads)) {
            if (writeOne(w, id, directory, tsNanos)) {
                written.add(id);
            }
        }
        return written;
    }

    /** Writes the container event of this id if the directory can name it now; whether it did. */
    public static boolean writeOne(ScapWriter w, String id, ContainerDirectory directory, long tsNanos)
            throws IOException {
        ContainerMeta m = directory.lookup(id);
        if (m.runtime() == null) {
            return false;
        }
        w.largeEvent(0, tsNanos, -1, CONTAINER_JSON_2_E, json(m));
        return true;
    }

    /** libsinsp's container JSON for one container, NUL-terminated (a CHARBUF). */
    static byte[] json(ContainerMeta m) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode c = root.putObject("container");
        c.put("id", ContainerIds.shortId(m.id())); // sysdig's container.id is the short one
        c.put("full_id", m.id());
        c.put("type", type(m.runtime()));
        c.put("name", nz(m.name()));
        String image = nz(m.image());
        c.put("image", image);
        c.put("imageid", "");
        int slash = image.lastIndexOf('/'), colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        c.put("imagerepo", tagged ? image.substring(0, colon) : image);
        c.put("imagetag", tagged ? image.substring(colon + 1) : "");
        c.put("imagedigest", "");
        c.put("privileged", false);
        c.put("is_pod_sandbox", false);
        c.put("lookup_state", 1); // SUCCESSFUL
        c.put("created_time", 0);
        c.putArray("Mounts");
        c.put("ip", "0.0.0.0");
        c.putArray("port_mappings");
        Map<String, String> labels = new TreeMap<>(m.labels());
        if (m.pod() != null) {
            labels.putIfAbsent("io.kubernetes.pod.name", m.pod());
        }
        if (m.namespace() != null) {
            labels.putIfAbsent("io.kubernetes.pod.namespace", m.namespace());
        }
        ObjectNode l = c.putObject("labels");
        labels.forEach(l::put);
        c.putArray("env");
        c.put("memory_limit", 0);
        c.put("swap_limit", 0);
        c.put("cpu_shares", 1024);
        c.put("cpu_quota", 0);
        c.put("cpu_period", 100000);
        c.put("cpuset_cpu_count", 0);
        c.put("metadata_deadline", 0);
        byte[] text = JSON.writeValueAsBytes(root);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    /** libsinsp's sinsp_container_type of a runtime. */
    static int type(String runtime) {
        if (runtime == null) {
            return 5; // CT_CUSTOM
        }
        return switch (runtime) {
            case "docker" -> 0;
            case "containerd" -> 7;
            case "cri-o" -> 8;
            case "podman" -> 11;
            case "lxc" -> 1;
            default -> 5;
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
