// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.wiretop.host.ContainerMeta;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Containers of the runtimes without a JSON API, from the OCI spec each writes for a running
 * container: containerd's task directories ({@code ROOT/io.containerd.runtime.v2.task/NAMESPACE/ID/config.json};
 * its API is gRPC) and CRI-O's ({@code /run/containers/storage/overlay-containers/ID/userdata/config.json}).
 * Kubernetes' CRI puts the names in the spec's annotations: containerd's
 * {@code io.kubernetes.cri.container-name}, {@code sandbox-name}, {@code sandbox-namespace},
 * {@code image-name}; CRI-O's {@code io.kubernetes.container.name}, {@code io.kubernetes.pod.name},
 * {@code io.kubernetes.pod.namespace}, {@code io.kubernetes.cri-o.ImageName}. A container started
 * without them (ctr run) is known by its id and runtime. podman shares CRI-O's storage layout: its
 * specs (annotation io.container.manager=libpod) are left to its API.
 */
final class TaskSpecs {
    static final String TASKS = "io.containerd.runtime.v2.task";
    /** Where containerd keeps its task directories: standalone, then docker's own containerd. */
    static final List<Path> DEFAULT_TASK_ROOTS = List.of(Path.of("/run/containerd", TASKS),
            Path.of("/run/docker/containerd/daemon", TASKS));
    static final Path CRIO_CONTAINERS = Path.of("/run/containers/storage/overlay-containers");
    private static final int MAX_SPEC = 1 << 20;

    private final List<Path> taskRoots;
    private final Path crio;

    TaskSpecs(List<Path> taskRoots, Path crio) {
        this.taskRoots = List.copyOf(taskRoots);
        this.crio = crio;
    }

    /** The task roots of a containerd socket (CONTAINERD_ADDRESS): beside it, or under daemon/ (docker's). */
    static List<Path> rootsOf(Path socket) {
        Path dir = socket.toAbsolutePath().getParent();
        return dir == null ? List.of() : List.of(dir.resolve(TASKS), dir.resolve("daemon").resolve(TASKS));
    }

    /** Every container found whose id {@code skip} does not reject (ids already named are not read again). */
    List<ContainerMeta> list(Predicate<String> skip) {
        List<ContainerMeta> out = new ArrayList<>();
        for (Path root : taskRoots) {
            for (Path ns : dirs(root)) {
                for (Path task : dirs(ns)) {
                    String id = task.getFileName().toString();
                    if (!skip.test(id)) {
                        JsonNode spec = spec(task.resolve("config.json"));
                        if (spec != null) {
                            out.add(containerd(id, ns.getFileName().toString(), spec));
                        }
                    }
                }
            }
        }
        if (crio != null) {
            for (Path c : dirs(crio)) {
                String id = c.getFileName().toString();
                if (!skip.test(id)) {
                    JsonNode spec = spec(c.resolve("userdata").resolve("config.json"));
                    Map<String, String> a = spec == null ? Map.of() : annotations(spec);
                    if (a.containsKey("io.kubernetes.cri-o.ContainerType") && !"libpod".equals(a.get("io.container.manager"))) {
                        out.add(new ContainerMeta(id, a.get("io.kubernetes.container.name"),
                                a.get("io.kubernetes.cri-o.ImageName"), "cri-o", a.get("io.kubernetes.pod.name"),
                                a.get("io.kubernetes.pod.namespace"), a));
                    }
                }
            }
        }
        return out;
    }

    /** A containerd task: CRI's names when the spec has them; docker's own ("moby" namespace) are docker's. */
    static ContainerMeta containerd(String id, String namespace, JsonNode spec) {
        Map<String, String> a = annotations(spec);
        String name = a.get("io.kubernetes.cri.container-name");
        if (name == null && "sandbox".equals(a.get("io.kubernetes.cri.container-type"))) {
            name = "POD"; // the pod's sandbox (pause) container, as kubelet names it
        }
        return new ContainerMeta(id, name, a.get("io.kubernetes.cri.image-name"),
                namespace.equals("moby") ? "docker" : "containerd", a.get("io.kubernetes.cri.sandbox-name"),
                a.get("io.kubernetes.cri.sandbox-namespace"), a);
    }

    private static Map<String, String> annotations(JsonNode spec) {
        Map<String, String> m = new HashMap<>();
        spec.path("annotations").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        });
        return m;
    }

    private static JsonNode spec(Path file) {
        try {
            if (Files.size(file) > MAX_SPEC) {
                return null;
            }
            return RuntimeSocket.JSON.readTree(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return null; // the task ended meanwhile, or not a spec
        }
    }

    private static List<Path> dirs(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(out::add);
        } catch (IOException | RuntimeException e) {
            // absent (this runtime is not installed) or unreadable: nothing from it
        }
        return out;
    }
}
