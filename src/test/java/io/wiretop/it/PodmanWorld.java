// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real podman containers for kernel tests, made from a local busybox image (no registry here) as
 * containers-facts.md says: a pod with --network none holding an httpd server on 127.0.0.1:8080 and
 * an idle client container (traffic only on the pod's own loopback), and a neighbour container with
 * its own namespace and its own httpd on the same address and port. Names carry a nonce; {@link #close}
 * removes every container, the pod, the image and the work directory, also after a failure, and
 * never touches what other tests or helpers made.
 */
final class PodmanWorld implements AutoCloseable {
    final String nonce = "wtc" + Long.toHexString(System.nanoTime() & 0xffffffffL) + ProcessHandle.current().pid();
    final String image = "localhost/wt-ctrcap-bb:" + nonce;
    final String pod = "wt-ctrcap-pod-" + nonce;
    final String server = "wt-ctrcap-srv-" + nonce;
    final String client = "wt-ctrcap-cli-" + nonce;
    final String neighbour = "wt-ctrcap-nb-" + nonce;
    final Path dir;
    private static final String PAUSE = "localhost/podman-pause:4.3.1-0";
    final Map<String, String> env;
    private final List<String[]> undo = new ArrayList<>();
    private String podId;

    PodmanWorld() throws Exception {
        dir = Files.createTempDirectory("wiretop-ctrcap-");
        Path conf = dir.resolve("containers.conf");
        // podman's default ulimits exceed this machine's hard limits, and crun refuses hybrid cgroups
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
                + "[engine]\nruntime = \"runc\"\n");
        env = Map.of("CONTAINERS_CONF", conf.toString());
        try {
            build();
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** A busybox root file system as a tar (the only binary: /bin/busybox-static with its applet links), for import. */
    static Path busyboxTar(Path dir) throws Exception {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Path busybox = Path.of("/bin/busybox");
        assertTrue(Files.isExecutable(busybox), "busybox-static is needed (scripts/install-deps.sh)");
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
            }
        }
        assertTrue(list.waitFor(30, TimeUnit.SECONDS) && list.exitValue() == 0);
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        Path tar = dir.resolve("rootfs.tar");
        Process t = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".").redirectErrorStream(true).start();
        t.getInputStream().readAllBytes();
        assertTrue(t.waitFor(60, TimeUnit.SECONDS) && t.exitValue() == 0, "tar");
        return tar;
    }

    private void build() throws Exception {
        Path tar = busyboxTar(dir);
        undo.add(new String[]{"podman", "rmi", "-f", image});
        run(120, "podman", "import", "--change", "CMD [\"/bin/sh\"]", "--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                tar.toString(), image);
        // podman builds its pause image for the first pod; removed again if this test made it (never
        // forced: another pod may use it)
        Process has = command("podman", "image", "exists", PAUSE).start();
        if (has.waitFor(60, TimeUnit.SECONDS) && has.exitValue() != 0) {
            undo.add(0, new String[]{"podman", "rmi", PAUSE});
        }
        undo.add(0, new String[]{"podman", "pod", "rm", "-f", "-t", "0", pod});
        run(120, "podman", "pod", "create", "--name", pod, "--network", "none");
        podId = run(60, "podman", "pod", "inspect", "-f", "{{.Id}}", pod).trim();
        String httpd = "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www";
        undo.add(0, new String[]{"podman", "rm", "-f", "-t", "0", server, client, neighbour});
        run(120, "podman", "run", "-d", "--pod", pod, "--name", server, image, "sh", "-c", httpd);
        run(120, "podman", "run", "-d", "--pod", pod, "--name", client, image, "sleep", "100000");
        run(120, "podman", "run", "-d", "--network", "none", "--name", neighbour, image, "sh", "-c", httpd);
        for (String c : List.of(server, neighbour)) { // httpd listening before the test's traffic
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!exec(c, "index.html?ready")) {
                assertTrue(System.nanoTime() < deadline, c + ": httpd did not answer");
                Thread.sleep(200);
            }
        }
    }

    /** The full id of a container (podman inspect). */
    String id(String container) throws Exception {
        return run(60, "podman", "inspect", "-f", "{{.Id}}", container).trim();
    }

    /** One HTTP request to 127.0.0.1:8080 inside a container's namespace (podman exec); whether it got an answer. */
    boolean exec(String container, String path) throws Exception {
        Process p = command("podman", "exec", container, "timeout", "10", "wget", "-q", "-O", "/dev/null",
                "http://127.0.0.1:8080/" + path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** One HTTP request to 127.0.0.1:port inside a container's namespace. */
    boolean exec(String container, int port, String path) throws Exception {
        Process p = command("podman", "exec", container, "timeout", "10", "wget", "-q", "-O", "/dev/null",
                "http://127.0.0.1:" + port + "/" + path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    ProcessBuilder command(String... cmd) {
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().putAll(env);
        return b;
    }

    String run(int timeoutSeconds, String... cmd) throws Exception {
        Process p = command(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** podman leaves the pod's empty cgroup directories in every hierarchy (cgroupfs manager): removed, empty ones only. */
    private void removePodCgroups() throws IOException {
        if (podId == null || !podId.matches("[0-9a-f]{64}")) {
            return;
        }
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path d = h.resolve("libpod_parent").resolve(podId);
                if (Files.isDirectory(d)) {
                    try (var walk = Files.walk(d)) {
                        walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder())
                                .forEach(p -> p.toFile().delete()); // rmdir: fails on a cgroup still in use
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (String[] cmd : undo) {
            try {
                Process p = command(cmd).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(120, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the next step still runs
            }
        }
        removePodCgroups();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
