// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real docker container for kernel tests, from the test's own dockerd: its data, run directories
 * and socket in a fresh directory, with no bridge, no iptables rules and no forwarding, so it
 * neither meets another dockerd on this machine nor changes the host's network. The container has
 * Kubernetes' labels and a kubepods cgroup parent (the dockershim convention, containers-facts.md),
 * runs --network none with an httpd on its loopback and a loop of file reads. {@link #close}
 * removes the container, the image, the daemon, its directory and the pod's empty cgroups.
 */
final class DockerWorld implements AutoCloseable {
    final String name = "wt-ctrcap-d" + Long.toHexString(System.nanoTime() & 0xffffffL);
    final String image = name + "-img:1";
    final String podUid = UUID.randomUUID().toString();
    final Path dir;
    final Map<String, String> env;
    private Process dockerd;
    String id;

    DockerWorld(Path rootfsTar) throws Exception {
        // a short path: containerd's socket lives below it (unix socket paths end at 108 bytes)
        dir = Files.createTempDirectory(Path.of("/tmp"), "wtd");
        env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("d.sock"));
        try {
            start(rootfsTar);
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    private void start(Path rootfsTar) throws Exception {
        dockerd = new ProcessBuilder("dockerd", "--data-root", dir.resolve("root").toString(), "--exec-root",
                dir.resolve("x").toString(), "--pidfile", dir.resolve("d.pid").toString(), "-H",
                env.get("DOCKER_HOST"), "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-forward=false",
                "--ip-masq=false").redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!ping()) {
            assertTrue(dockerd.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("dockerd.log")));
            Thread.sleep(200);
        }
        run(120, "docker", "import", "--change", "CMD [\"/bin/sh\"]", "--change",
                "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin", rootfsTar.toString(), image);
        id = run(120, "docker", "run", "-d", "--network", "none", "--name", name,
                "--label", "io.kubernetes.pod.name=web-0", "--label", "io.kubernetes.pod.namespace=wt-ns",
                "--label", "io.kubernetes.pod.uid=" + podUid, "--cgroup-parent", "/kubepods/besteffort/pod" + podUid,
                image, "sh", "-c", "mkdir -p /www && echo hello > /www/index.html && httpd -p 127.0.0.1:8080 -h /www; "
                        + "while :; do cat /etc/passwd > /dev/null; sleep 0.2; done").trim();
    }

    private boolean ping() {
        try {
            Process p = command("docker", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** One HTTP request to the container's own httpd, from inside it (docker exec). */
    boolean exec(String path) throws Exception {
        Process p = command("docker", "exec", name, "timeout", "10", "wget", "-q", "-O", "/dev/null",
                "http://127.0.0.1:8080/" + path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    ProcessBuilder command(String... cmd) {
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().putAll(env);
        return b;
    }

    String run(int timeoutSeconds, String... cmd) throws Exception {
        Process p = command(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Override
    public void close() throws IOException {
        if (dockerd != null && dockerd.isAlive()) {
            for (String[] cmd : new String[][]{{"docker", "rm", "-f", name}, {"docker", "rmi", "-f", image}}) {
                try {
                    Process p = command(cmd).redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    p.waitFor(120, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // the daemon goes next anyway
                }
            }
            dockerd.destroy(); // SIGTERM to the one dockerd this test started; it stops its containerd
            try {
                if (!dockerd.waitFor(60, TimeUnit.SECONDS)) {
                    dockerd.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path pod = h.resolve("kubepods/besteffort/pod" + podUid);
                if (Files.isDirectory(pod)) {
                    pod.toFile().delete(); // rmdir: the empty cgroup docker left
                }
            }
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
