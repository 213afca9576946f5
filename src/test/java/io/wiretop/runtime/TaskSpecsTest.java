// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import io.wiretop.host.ContainerMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * containerd's and CRI-O's specs on disk: a CRI container (the annotations containerd 1.6's CRI
 * plugin writes, as ctr --annotation wrote them here), its sandbox, a docker container in the moby
 * namespace, a plain ctr container; a CRI-O container and a podman one in the same storage layout.
 */
class TaskSpecsTest {
    static final String A = "a".repeat(64), B = "b".repeat(64), C = "c".repeat(64), D = "d".repeat(64),
            E = "e".repeat(64), F = "f".repeat(64);
    @TempDir
    Path dir;

    private void spec(Path file, String annotations) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"args\":[\"sleep\"]},\"annotations\":{"
                + annotations + "},\"linux\":{\"cgroupsPath\":\"/k8s.io/x\"}}");
    }

    @Test
    void criNamesFromAnnotations() throws Exception {
        Path tasks = dir.resolve("run/containerd").resolve(TaskSpecs.TASKS);
        spec(tasks.resolve("k8s.io").resolve(A).resolve("config.json"), "\"io.kubernetes.cri.container-type\":\"container\","
                + "\"io.kubernetes.cri.container-name\":\"web\",\"io.kubernetes.cri.sandbox-name\":\"web-0\","
                + "\"io.kubernetes.cri.sandbox-namespace\":\"prod\",\"io.kubernetes.cri.image-name\":\"nginx:1.25\"");
        spec(tasks.resolve("k8s.io").resolve(B).resolve("config.json"), "\"io.kubernetes.cri.container-type\":\"sandbox\","
                + "\"io.kubernetes.cri.sandbox-name\":\"web-0\",\"io.kubernetes.cri.sandbox-namespace\":\"prod\"");
        spec(tasks.resolve("moby").resolve(C).resolve("config.json"), "");
        spec(tasks.resolve("wt").resolve(D).resolve("config.json"), "");
        Path crio = dir.resolve("overlay-containers");
        spec(crio.resolve(E).resolve("userdata/config.json"), "\"io.kubernetes.cri-o.ContainerType\":\"container\","
                + "\"io.kubernetes.container.name\":\"db\",\"io.kubernetes.pod.name\":\"db-0\","
                + "\"io.kubernetes.pod.namespace\":\"data\",\"io.kubernetes.cri-o.ImageName\":\"redis:7\"");
        spec(crio.resolve(F).resolve("userdata/config.json"), "\"io.container.manager\":\"libpod\","
                + "\"io.kubernetes.cri-o.ContainerType\":\"container\"");
        List<ContainerMeta> all = new TaskSpecs(List.of(tasks, dir.resolve("absent")), crio).list(id -> false).stream()
                .sorted(Comparator.comparing(ContainerMeta::id)).toList();
        assertEquals(List.of(A, B, C, D, E), all.stream().map(ContainerMeta::id).toList(), "podman's spec is its API's");
        ContainerMeta web = all.get(0);
        assertEquals(List.of("web", "nginx:1.25", "containerd", "web-0", "prod"),
                List.of(web.name(), web.image(), web.runtime(), web.pod(), web.namespace()));
        assertEquals("POD", all.get(1).name());
        assertEquals("web-0", all.get(1).pod());
        assertEquals("docker", all.get(2).runtime());
        assertNull(all.get(3).name());
        assertEquals("containerd", all.get(3).runtime());
        ContainerMeta db = all.get(4);
        assertEquals(List.of("db", "redis:7", "cri-o", "db-0", "data"),
                List.of(db.name(), db.image(), db.runtime(), db.pod(), db.namespace()));
        assertEquals(List.of(B, C, D, E), new TaskSpecs(List.of(tasks), crio).list(A::equals).stream()
                .map(ContainerMeta::id).sorted().toList(), "ids already named are not read again");
    }

    @Test
    void theSocketsDirectoryHoldsTheTasks() {
        assertEquals(List.of(Path.of("/run/containerd", TaskSpecs.TASKS), Path.of("/run/containerd/daemon", TaskSpecs.TASKS)),
                TaskSpecs.rootsOf(Path.of("/run/containerd/containerd.sock")));
    }

    @Test
    void aDirectoryWithoutSocketsNamesFromSpecs() throws Exception {
        Path tasks = dir.resolve(TaskSpecs.TASKS);
        spec(tasks.resolve("k8s.io").resolve(A).resolve("config.json"), "\"io.kubernetes.cri.container-name\":\"web\"");
        try (RuntimeDirectory d = new RuntimeDirectory(List.of(dir.resolve("no.sock")), 1000,
                new TaskSpecs(List.of(tasks), null))) {
            ContainerMeta m = RuntimeDirectoryTest.await(d, A.substring(0, 12));
            assertEquals("web", m.name());
            assertEquals(A, m.id());
        }
    }
}
