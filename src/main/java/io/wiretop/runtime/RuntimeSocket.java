// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wiretop.host.ContainerMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One runtime API socket that speaks the Docker Engine API: dockerd's, or podman's service (which
 * also answers its own libpod API, the one that names a container's pod). Not thread-safe: the
 * directory's one thread uses it.
 */
final class RuntimeSocket {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Kubernetes' labels (dockershim, cri-dockerd, podman kube play with labels set by hand). */
    static final String K8S_POD = "io.kubernetes.pod.name", K8S_NS = "io.kubernetes.pod.namespace";

    final Path path;
    private String kind; // "docker" or "podman" once known

    RuntimeSocket(Path path) {
        this.path = path;
    }

    /**
     * Every container the runtime knows (running or not), with name, image, labels and pod. Which
     * API answers is learnt on the first call: libpod's list (podman) or, where that path is not
     * found, Docker's. Not by {@code GET /version}: podman runs its OCI runtime and conmon to answer
     * that, which takes a second on a busy machine.
     */
    List<ContainerMeta> list(long timeoutMillis) throws IOException {
        if (!"docker".equals(kind)) {
            UnixHttp.Response r = UnixHttp.get(path, "/v4.0.0/libpod/containers/json?all=true", timeoutMillis);
            if (r.status() == 200) {
                kind = "podman";
                return podman(JSON.readTree(r.body()));
            }
            if (r.status() != 404 || "podman".equals(kind)) {
                throw new IOException("libpod list: HTTP " + r.status());
            }
            kind = "docker";
        }
        return docker(json("/containers/json?all=true", timeoutMillis));
    }

    private JsonNode json(String target, long timeoutMillis) throws IOException {
        UnixHttp.Response r = UnixHttp.get(path, target, timeoutMillis);
        if (r.status() != 200) {
            throw new IOException(target + ": HTTP " + r.status());
        }
        return JSON.readTree(r.body());
    }

    /** Docker's list: {@code [{"Id","Names":["/name"],"Image","Labels"}]}. */
    static List<ContainerMeta> docker(JsonNode list) {
        List<ContainerMeta> out = new ArrayList<>();
        for (JsonNode c : list) {
            Map<String, String> labels = labels(c.path("Labels"));
            out.add(new ContainerMeta(c.path("Id").asText(), name(c.path("Names")), text(c.path("Image")), "docker",
                    labels.get(K8S_POD), labels.get(K8S_NS), labels));
        }
        return out;
    }

    /**
     * libpod's list: like docker's, Names without the slash, and {@code PodName}. A pod named by
     * Kubernetes labels is that pod (with its namespace); else the podman pod, which has none.
     */
    static List<ContainerMeta> podman(JsonNode list) {
        List<ContainerMeta> out = new ArrayList<>();
        for (JsonNode c : list) {
            Map<String, String> labels = labels(c.path("Labels"));
            String pod = labels.get(K8S_POD);
            if (pod == null) {
                pod = text(c.path("PodName"));
            }
            out.add(new ContainerMeta(c.path("Id").asText(), name(c.path("Names")), text(c.path("Image")), "podman",
                    pod, labels.get(K8S_NS), labels));
        }
        return out;
    }

    private static String name(JsonNode names) {
        String n = names.isArray() && names.size() > 0 ? names.get(0).asText("") : "";
        n = n.startsWith("/") ? n.substring(1) : n;
        return n.isEmpty() ? null : n;
    }

    private static String text(JsonNode n) {
        String s = n.isTextual() ? n.asText() : null;
        return s == null || s.isEmpty() ? null : s;
    }

    private static Map<String, String> labels(JsonNode l) {
        Map<String, String> m = new HashMap<>();
        l.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        });
        return m;
    }
}
