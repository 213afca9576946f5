// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import io.wiretop.host.ContainerMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names from a (fake) runtime socket: answers from the API samples in containers-facts.md (docker's
 * list, libpod's list with its pod), looked up off the caller's thread, asked again only for a new
 * id; no socket or a silent one costs the caller nothing.
 */
class RuntimeDirectoryTest {
    static final String C = "7dc17411eb85" + "0".repeat(52);
    static final String P = "81ad4239aaa1" + "1".repeat(52);
    static final String DOCKER_LIST = "[{\"Id\":\"" + C + "\",\"Names\":[\"/wt-dsrv\"],\"Image\":\"wt-busybox:1\","
            + "\"ImageID\":\"sha256:120361\",\"State\":\"running\",\"Labels\":{\"io.kubernetes.pod.name\":\"web-0\","
            + "\"io.kubernetes.pod.namespace\":\"wt-ns\"}}]";
    // dockerd's answer to a path it does not serve (measured: 20.10.24)
    static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 28\r\n\r\n"
            + "{\"message\":\"page not found\"}";
    static final String LIBPOD_LIST = "[{\"Id\":\"" + P + "\",\"Names\":[\"wt-srv\"],\"Image\":\"localhost/wt-busybox:1\","
            + "\"Pod\":\"c2dc27e06e98\",\"PodName\":\"wt-pod\",\"Labels\":null,\"Pid\":18486}]";

    @TempDir
    Path dir;

    static ContainerMeta await(RuntimeDirectory d, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        ContainerMeta m;
        while ((m = d.lookup(id)).name() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return m;
    }

    @Test
    void dockerNamesImagesAndKubernetesLabels() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> t.startsWith("/v4.0.0/libpod/") ? NOT_FOUND : FakeApi.ok(DOCKER_LIST));
             RuntimeDirectory d = new RuntimeDirectory(List.of(api.socket), 2000)) {
            assertEquals(ContainerMeta.idOnly(C.substring(0, 12)), d.lookup(C.substring(0, 12)), "first answer: the id");
            ContainerMeta m = await(d, C.substring(0, 12));
            assertEquals(new ContainerMeta(C, "wt-dsrv", "wt-busybox:1", "docker", "web-0", "wt-ns",
                    Map.of("io.kubernetes.pod.name", "web-0", "io.kubernetes.pod.namespace", "wt-ns")), m);
            assertEquals(m, d.lookup(C), "by the full id too");
            assertTrue(api.requests.contains("/containers/json?all=true"), api.requests.toString());
        }
    }

    @Test
    void podmanGivesThePodName() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> t.startsWith("/v4.0.0/libpod/containers/json")
                ? FakeApi.chunked(LIBPOD_LIST, 50) : FakeApi.ok("[]"));
             RuntimeDirectory d = new RuntimeDirectory(List.of(api.socket), 2000)) {
            ContainerMeta m = await(d, P);
            assertEquals("wt-srv", m.name());
            assertEquals("localhost/wt-busybox:1", m.image());
            assertEquals("podman", m.runtime());
            assertEquals("wt-pod", m.pod());
            assertNull(m.namespace());
        }
    }

    @Test
    void aKnownIdDoesNotAskAgainANewOneDoes() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> t.startsWith("/v4.0.0/libpod/") ? NOT_FOUND : FakeApi.ok(DOCKER_LIST));
             RuntimeDirectory d = new RuntimeDirectory(List.of(api.socket), 2000)) {
            await(d, C);
            int lists = count(api, "/containers/json?all=true");
            for (int i = 0; i < 100; i++) {
                d.lookup(C);
                d.lookup(C.substring(0, 12));
            }
            Thread.sleep(200);
            assertEquals(lists, count(api, "/containers/json?all=true"), "known ids are not asked about");
            d.lookup("ab" + "0".repeat(62));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count(api, "/containers/json?all=true") == lists && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(lists + 1, count(api, "/containers/json?all=true"), "a new id lists again");
        }
    }

    private static int count(FakeApi api, String target) {
        return (int) api.requests.stream().filter(target::equals).count();
    }

    @Test
    void noSocketOrASilentOneCostsTheCallerNothing() throws Exception {
        try (FakeApi silent = new FakeApi(dir, t -> null);
             RuntimeDirectory d = new RuntimeDirectory(List.of(dir.resolve("missing.sock"), silent.socket), 3000)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                assertEquals(ContainerMeta.idOnly("id" + i), d.lookup("id" + i));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 500, "1000 lookups took " + ms + " ms");
        }
    }

    @Test
    void anIdNoRuntimeNamesGetsItsEngineFromItsCgroupPath() throws Exception {
        String id = "ab" + "0".repeat(62);
        io.wiretop.host.ContainerRef ref = io.wiretop.host.ContainerIds.parse("/libpod_parent/libpod-" + id);
        try (RuntimeDirectory d = new RuntimeDirectory(List.of(dir.resolve("none.sock")), 1000,
                new TaskSpecs(List.of(), null), () -> Map.of(id.substring(0, 12), ref))) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            ContainerMeta m;
            while ((m = d.lookup(id.substring(0, 12))).runtime() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(new ContainerMeta(id, null, null, "podman", null, null, Map.of()), m);
        }
    }

    @Test
    void theEnvironmentNamesSocketsFirst() {
        try (RuntimeDirectory d = RuntimeDirectory.fromEnvironment(Map.of("DOCKER_HOST", "unix:///tmp/d.sock",
                "CONTAINER_HOST", "tcp://10.0.0.1:1"))) {
            assertEquals(List.of(Path.of("/tmp/d.sock"), Path.of("/var/run/docker.sock"), Path.of("/run/podman/podman.sock")),
                    d.socketPaths());
        }
    }
}
