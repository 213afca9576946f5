// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Containers and Pods views on real containers (podman, a podman pod, docker, docker with
 * Kubernetes labels under a kubepods cgroup parent), started by {@link Runtimes} from a local
 * busybox image. The workload is the static ground-truth program (src/test/c/workload.c) run inside
 * the containers over their own loopback (--network none), or busybox nc and the workload's client
 * in two containers of one pod (they share its namespace): NET per container, summed over the
 * intervals of `wiretop --json -v containers`, equals the bytes the workload reports; names,
 * images, engines, pods and namespaces are the runtime's. Without a runtime that answers, the
 * containers show their ids, the intervals keep their pace and nothing is printed on stderr.
 */
class ContainersKernelIT {
    private static Runtimes rt;
    private static Path workload;

    @BeforeAll
    static void setUp() throws Exception {
        KernelHarness.requireRoot();
        rt = Runtimes.open("ctrit");
        workload = staticWorkload();
    }

    /** src/test/c/workload.c linked statically (the busybox image has no C library), built once. */
    static synchronized Path staticWorkload() throws Exception {
        Path bin = KernelHarness.workDir().resolve("workload-static").toAbsolutePath();
        Path src = Path.of(System.getProperty("wiretop.sources", ".")).resolve("src/test/c/workload.c");
        if (!Files.exists(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) < 0) {
            KernelHarness.sh(120, "gcc", "-O2", "-static", "-o", bin.toString(), src.toString());
        }
        return bin;
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    private static List<String> mountWorkload() {
        return List.of("-v", workload.toAbsolutePath() + ":/w:ro");
    }

    /** Payload bytes (in + out) that the workload's report lines in a container's output say it moved. */
    private static long moved(String logs) {
        long sum = 0;
        for (KernelHarness.Moved m : KernelHarness.moved(logs)) {
            sum += m.netIn() + m.netOut();
        }
        return sum;
    }

    /**
     * Bytes of a view's NET column for rows whose KEY column is {@code value}: the rate times each
     * interval, with how far off that can be: interval_s is printed to the microsecond, the rate
     * divided by the exact interval.
     */
    private static double[] bytes(KernelHarness.Wiretop w, String key, String value) {
        double sum = 0, error = 1;
        for (JsonNode line : w.lines) {
            for (JsonNode row : line.get("rows")) {
                if (value.equals(row.path(key).asText())) {
                    double rate = row.get("NET").asDouble();
                    sum += rate * line.get("interval_s").asDouble();
                    error += rate * 0.5e-6;
                }
            }
        }
        return new double[]{sum, error};
    }

    /** The newest row whose {@code key} column is {@code value}, or null. */
    private static JsonNode last(KernelHarness.Wiretop w, String key, String value) {
        JsonNode found = null;
        for (JsonNode line : w.lines) {
            for (JsonNode row : line.get("rows")) {
                if (value.equals(row.path(key).asText())) {
                    found = row;
                }
            }
        }
        return found;
    }

    /** Keeps what wiretop printed in target/it (for a failure's reader). */
    private static void dump(KernelHarness.Wiretop w, String name) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        w.lines.forEach(l -> b.append(l).append('\n'));
        Files.writeString(KernelHarness.workDir().resolve("containers-it-" + name + ".json"), b + w.stderr());
    }

    /** The most containers the Pods view counted in one interval for a pod. */
    private static int mostContainers(KernelHarness.Wiretop pods, String pod) {
        int most = 0;
        for (JsonNode line : pods.lines) {
            for (JsonNode r : line.get("rows")) {
                if (pod.equals(r.get("POD").asText())) {
                    most = Math.max(most, r.get("CONTAINERS").asInt());
                }
            }
        }
        return most;
    }

    private static String shortId(String id) {
        return id.substring(0, 12);
    }

    private static void assertBytes(long expected, double[] got, String what) {
        assertTrue(expected > 0, what + ": the workload moved nothing");
        assertEquals(expected, got[0], got[1], what + ": NET in the view against the workload's report");
    }

    @Test
    void podmanContainerAndPodNamedWithTheirTraffic() throws Exception {
        Runtimes.Podman podman = rt.podman();
        podman.service();
        String pod = rt.tag() + "-pod";
        try (KernelHarness.Wiretop containers = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "containers", "-d", "1000");
             KernelHarness.Wiretop pods = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "pods", "-d", "1000")) {
            containers.awaitIntervals(1, 90_000);
            pods.awaitIntervals(1, 90_000);
            List<String> solo = new ArrayList<>(List.of("--network", "none"));
            solo.addAll(mountWorkload());
            Runtimes.Container c = podman.run("solo", solo, "sh", "-c", "sleep 2; exec /w tcp 4 3000000 65536");
            podman.pod("pod");
            Runtimes.Container srv = podman.run("pod-srv", List.of("--pod", pod), "sh", "-c",
                    "sleep 2; exec nc -l -p 7000 >/dev/null");
            List<String> cli = new ArrayList<>(List.of("--pod", pod));
            cli.addAll(mountWorkload());
            Runtimes.Container client = podman.run("pod-cli", cli, "sh", "-c",
                    "sleep 2; until /w short 2000000 7000; do sleep 0.2; done");
            for (String name : List.of(c.name(), srv.name(), client.name())) {
                assertEquals(0, podman.waitExit(name), name + " exit code: " + podman.logs(name));
            }
            containers.awaitIntervals(3, 60_000);
            pods.awaitIntervals(3, 60_000);
            dump(containers, "containers-" + Thread.currentThread().getStackTrace()[1].getLineNumber());
            dump(pods, "pods-" + Thread.currentThread().getStackTrace()[1].getLineNumber());

            long soloMoved = moved(podman.logs(c.name())), clientMoved = moved(podman.logs(client.name()));
            assertBytes(soloMoved, bytes(containers, "ID", shortId(c.id())), "podman container");
            assertEquals(2_000_000, clientMoved, "the pod's client report");
            assertBytes(clientMoved, bytes(containers, "ID", shortId(client.id())), "pod client");
            assertBytes(clientMoved, bytes(containers, "ID", shortId(srv.id())), "pod server (nc read what was sent)");
            assertBytes(2 * clientMoved, bytes(pods, "POD", pod), "the pod, both containers");

            JsonNode row = last(containers, "ID", shortId(c.id()));
            assertEquals(c.name(), row.get("NAME").asText(), row.toString());
            assertEquals(podman.image, row.get("IMAGE").asText(), row.toString());
            assertEquals("podman", row.get("ENGINE").asText(), row.toString());
            assertEquals(srv.name(), last(containers, "ID", shortId(srv.id())).get("NAME").asText());
            // the pod's members and its infra container, each a container of its own
            assertEquals(3, mostContainers(pods, pod), "server, client and the pod's infra container");
            assertEquals("", containers.stderr() + pods.stderr(), "nothing on stderr");
        }
    }

    @Test
    void dockerContainerAndAKubernetesStylePod() throws Exception {
        Runtimes.Docker docker = rt.docker();
        String uid = "3f1c2b9a-1111-4222-8333-" + String.format("%012x", ProcessHandle.current().pid());
        String podName = rt.tag() + "-web-0", ns = rt.tag() + "-ns", parent = "/kubepods/besteffort/pod" + uid;
        docker.ownsCgroup(parent);
        List<String> labels = List.of("--cgroup-parent", parent, "--label", "io.kubernetes.pod.name=" + podName,
                "--label", "io.kubernetes.pod.namespace=" + ns, "--label", "io.kubernetes.pod.uid=" + uid);
        try (KernelHarness.Wiretop containers = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "containers", "-d", "1000");
             KernelHarness.Wiretop pods = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "pods", "-d", "1000")) {
            containers.awaitIntervals(1, 90_000);
            pods.awaitIntervals(1, 90_000);
            List<String> plainOpts = new ArrayList<>(List.of("--network", "none"));
            plainOpts.addAll(mountWorkload());
            Runtimes.Container plain = docker.run("plain", plainOpts, "sh", "-c", "sleep 2; exec /w tcp 4 3000000 65536");
            List<String> sandboxOpts = new ArrayList<>(List.of("--network", "none", "--label",
                    "io.kubernetes.container.name=POD", "--label", "io.kubernetes.docker.type=podsandbox"));
            sandboxOpts.addAll(labels);
            Runtimes.Container sandbox = docker.run("k8s_POD", sandboxOpts, "sleep", "600");
            List<String> appOpts = new ArrayList<>(List.of("--network", "container:" + sandbox.name(), "--label",
                    "io.kubernetes.container.name=web", "--label", "io.kubernetes.docker.type=container"));
            appOpts.addAll(labels);
            appOpts.addAll(mountWorkload());
            Runtimes.Container app = docker.run("k8s_web", appOpts, "sh", "-c", "sleep 2; exec /w tcp 4 2000000 65536");
            for (String name : List.of(plain.name(), app.name())) {
                assertEquals(0, docker.waitExit(name), name + " exit code: " + docker.logs(name));
            }
            containers.awaitIntervals(3, 60_000);
            pods.awaitIntervals(3, 60_000);
            dump(containers, "containers-" + Thread.currentThread().getStackTrace()[1].getLineNumber());
            dump(pods, "pods-" + Thread.currentThread().getStackTrace()[1].getLineNumber());

            long plainMoved = moved(docker.logs(plain.name())), appMoved = moved(docker.logs(app.name()));
            assertBytes(plainMoved, bytes(containers, "ID", shortId(plain.id())), "docker container");
            assertBytes(appMoved, bytes(containers, "ID", shortId(app.id())), "kubernetes-style container");
            assertBytes(appMoved, bytes(pods, "POD", podName), "kubernetes-style pod");

            JsonNode row = last(containers, "ID", shortId(plain.id()));
            assertEquals(plain.name(), row.get("NAME").asText(), row.toString());
            assertEquals(docker.image, row.get("IMAGE").asText(), row.toString());
            assertEquals("docker", row.get("ENGINE").asText(), row.toString());
            JsonNode p = last(pods, "POD", podName);
            assertEquals(ns, p.get("NAMESPACE").asText(), p.toString());
            assertEquals(2, mostContainers(pods, podName), "sandbox and app (while it ran): " + p);
            assertEquals(app.name(), last(containers, "ID", shortId(app.id())).get("NAME").asText());
            assertEquals("", containers.stderr() + pods.stderr(), "nothing on stderr");
        }
    }

    @Test
    void aContainerdCriContainerNamedFromItsSpec() throws Exception {
        Runtimes.Docker docker = rt.docker();
        String ns = rt.tag() + "-k8s", id = String.format("%064x", System.nanoTime());
        String pod = rt.tag() + "-api-0", podNs = rt.tag() + "-cri";
        Map<String, String> cri = Map.of("io.kubernetes.cri.container-type", "container",
                "io.kubernetes.cri.container-name", "api", "io.kubernetes.cri.sandbox-name", pod,
                "io.kubernetes.cri.sandbox-namespace", podNs, "io.kubernetes.cri.image-name", "registry.example/api:7");
        Path log = KernelHarness.workDir().resolve("ctr-" + id.substring(0, 12) + ".log").toAbsolutePath();
        Files.deleteIfExists(log);
        try (KernelHarness.Wiretop containers = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "containers", "-d", "1000");
             KernelHarness.Wiretop pods = new KernelHarness.Wiretop(rt.env(), "--json", "-v", "pods", "-d", "1000")) {
            containers.awaitIntervals(1, 90_000);
            pods.awaitIntervals(1, 90_000);
            docker.ctrRun(ns, id, cri, Map.of(workload, "/w"), log, "sh", "-c", "sleep 2; exec /w tcp 4 2500000 65536");
            docker.ctrAwaitStopped(ns, id);
            containers.awaitIntervals(3, 60_000);
            pods.awaitIntervals(3, 60_000);
            dump(containers, "containers-ctr");

            long moved = moved(Files.readString(log));
            assertBytes(moved, bytes(containers, "ID", shortId(id)), "containerd container");
            assertBytes(moved, bytes(pods, "POD", pod), "its pod");
            JsonNode row = last(containers, "ID", shortId(id));
            assertEquals("api", row.get("NAME").asText(), row.toString());
            assertEquals("containerd", row.get("ENGINE").asText(), row.toString());
            assertEquals("registry.example/api:7", row.get("IMAGE").asText(), row.toString());
            assertEquals(podNs, last(pods, "POD", pod).get("NAMESPACE").asText());
            assertEquals("", containers.stderr() + pods.stderr(), "nothing on stderr");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void withoutARuntimeThatAnswersContainersShowTheirIdsAtOnceAndQuietly() throws Exception {
        Runtimes.Podman podman = rt.podman(); // no API service: nothing can name this container
        Runtimes.Container c = podman.run("quiet", List.of("--network", "none"), "sleep", "600");
        Path dir = Files.createTempDirectory("wiretop-ctrit-");
        Path silent = dir.resolve("silent.sock");
        List<SocketChannel> held = new ArrayList<>();
        // a runtime socket that accepts and never answers: the worst a runtime can do
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(silent));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + silent, "CONTAINER_HOST", "unix://" + dir.resolve("none.sock"));
            try (KernelHarness.Wiretop w = new KernelHarness.Wiretop(env, "--json", "-v", "containers", "-d", "500")) {
                w.awaitIntervals(12, 90_000); // the silent socket holds each refresh 2 s: hints come after
                JsonNode row = last(w, "ID", shortId(c.id()));
                assertTrue(row != null, "the container is listed: " + w.lines.get(w.lines.size() - 1));
                assertEquals(shortId(c.id()), row.get("NAME").asText(), "named by its id: " + row);
                assertTrue(row.get("IMAGE").isNull(), row.toString());
                assertEquals("podman", row.get("ENGINE").asText(), "the engine its cgroup path names: " + row);
                assertTrue(!held.isEmpty(), "wiretop did ask the socket (and got no answer)");
                // a lookup on the engine's thread would stretch an interval by the 1 s timeout
                for (JsonNode line : w.lines) {
                    double s = line.get("interval_s").asDouble();
                    assertTrue(s < 1.3, "interval " + line.get("seq") + " took " + s + " s");
                }
                assertEquals("", w.stderr(), "no error messages");
            }
        } finally {
            for (SocketChannel ch : held) {
                ch.close();
            }
            Files.deleteIfExists(silent);
            Files.deleteIfExists(dir);
        }
        podman.cmd("rm", "-f", "-t", "0", c.name());
    }
}
