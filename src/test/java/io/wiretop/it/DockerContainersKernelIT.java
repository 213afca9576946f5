// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real docker container with Kubernetes' labels and a kubepods cgroup parent (the dockershim
 * convention, containers-facts.md), from the private dockerd of {@link Runtimes}: --network none,
 * an httpd on its loopback and a loop of file reads. {@code capture --container-name} holds its
 * server's connection from the SYN on lo@&lt;name&gt; with the Container and Pod blocks, and
 * {@code record} writes container events that the real sysdig 0.29.3 shows as container.name,
 * container.image, k8s.pod.name and k8s.ns.name of the container's events (sysdig's docker engine
 * recognises this cgroup layout). wiretop names the container with its own runtime client, which
 * finds this dockerd through DOCKER_HOST.
 */
class DockerContainersKernelIT {
    private static Runtimes rt;
    private static Runtimes.Docker docker;
    private static Runtimes.Container web;
    private static Path dir;

    @BeforeAll
    static void container() throws Exception {
        KernelHarness.requireRoot();
        rt = Runtimes.open("dockit");
        dir = rt.dir();
        docker = rt.docker();
        String uid = java.util.UUID.randomUUID().toString(), parent = "/kubepods/besteffort/pod" + uid;
        docker.ownsCgroup(parent);
        web = docker.run("web", List.of("--network", "none", "--label", "io.kubernetes.pod.name=web-0",
                        "--label", "io.kubernetes.pod.namespace=wt-ns", "--label", "io.kubernetes.pod.uid=" + uid,
                        "--cgroup-parent", parent),
                "sh", "-c", "mkdir -p /www && echo hello > /www/index.html && httpd -p 127.0.0.1:8080 -h /www; "
                        + "while :; do cat /etc/passwd > /dev/null; sleep 0.2; done");
        docker.awaitHttp(web.name(), 8080);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void captureByNameHoldsTheConnectionFromTheSynWithContainerAndPod() throws Exception {
        Path out = dir.resolve("d.pcapng"), err = dir.resolve("d.err"), text = dir.resolve("d.txt");
        Process cap = rt.wiretop("capture", "--container-name", web.name(), "-w", out.toString(), "--print", "tcp", "port", "8080")
                .redirectError(err.toFile()).redirectOutput(text.toFile()).start();
        try {
            KernelHarness.awaitStderr(cap, err, "capturing on");
            assertTrue(docker.get(web.name(), 8080, "index.html?from=docker"));
            Thread.sleep(1000);
        } finally {
            assertEquals(0, KernelHarness.term(cap));
        }
        Process t = new ProcessBuilder("tshark", "-r", out.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.interface_name", "-e", "tcp.flags.str", "-e", "frame.comment")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> pkts = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(t.waitFor(60, TimeUnit.SECONDS));
        // client and server share the container: each packet leaves one socket and reaches the other
        assertTrue(pkts.size() >= 20, String.join("\n", pkts));
        assertTrue(pkts.get(0).startsWith("lo@" + web.name() + "|··········S·|"), pkts.get(0));
        assertTrue(pkts.get(1).startsWith("lo@" + web.name() + "|··········S·|"), pkts.get(1));
        for (String p : pkts) {
            assertTrue(p.startsWith("lo@" + web.name() + "|"), p);
            assertTrue(p.contains("ContainerName: " + web.name() + "\\nContainerId: " + web.id() + "\\nContainerImage: "
                    + docker.image), p);
            assertTrue(p.contains("PodName: web-0\\nPodNamespace: wt-ns"), p);
        }
        String lines = Files.readString(text);
        assertTrue(lines.lines().allMatch(l -> l.split(" ")[1].equals("lo@" + web.name())), lines);
        assertTrue(lines.lines().allMatch(l -> l.endsWith(", Container [" + web.name() + "], Pod [web-0.wt-ns]")), lines);
    }

    @Test
    void sysdigNamesTheContainerAndPodOfARecording() throws Exception {
        Path f = dir.resolve("d.scap"), err = dir.resolve("r.err");
        Process rec = rt.wiretop("record", "-w", f.toString(), "--container-id", web.id().substring(0, 12))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            KernelHarness.awaitStderr(rec, err, "recording");
            Thread.sleep(1500); // the container's loop reads /etc/passwd 5 times a second
        } finally {
            assertEquals(0, KernelHarness.term(rec));
        }
        Process sd = new ProcessBuilder("sysdig", "-r", f.toString(), "-p",
                "%container.id|%container.name|%container.image|%k8s.pod.name|%k8s.ns.name", "evt.type=openat")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(sd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(sd.waitFor(60, TimeUnit.SECONDS) && sd.exitValue() == 0);
        assertTrue(rows.size() >= 2, Files.readString(err) + rows);
        String want = web.id().substring(0, 12) + "|" + web.name() + "|" + docker.image + "|web-0|wt-ns";
        for (String r : rows) {
            assertEquals(want, r);
        }
    }
}
