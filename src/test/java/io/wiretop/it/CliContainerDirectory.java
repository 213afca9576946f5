// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A test's stand-in for the runtimes' client (branch w/ctr-runtime): names podman's containers by
 * asking its command-line tool ({@code podman ps --pod}), so the kernel tests can run
 * {@code capture --container-name/--pod} against real containers before that client is merged.
 * Registered only on the class path of the jars the kernel tests run ({@link #serviceDir}): neither
 * the jar nor the in-process unit tests ever see it.
 * Answers synchronously; ids podman does not know stay {@link ContainerMeta#idOnly}.
 */
public final class CliContainerDirectory implements ContainerDirectory {
    private final Map<String, ContainerMeta> known = new ConcurrentHashMap<>();
    private volatile long askedAt = Long.MIN_VALUE / 2;

    /** A class-path directory whose META-INF/services names this class as the container directory. */
    static Path serviceDir(Path under) throws IOException {
        Path d = under.resolve("services-cp");
        Path f = d.resolve("META-INF/services/" + ContainerDirectory.class.getName());
        Files.createDirectories(f.getParent());
        Files.writeString(f, CliContainerDirectory.class.getName() + "\n");
        return d;
    }

    @Override
    public ContainerMeta lookup(String id) {
        ContainerMeta m = known.get(id);
        if (m == null && System.nanoTime() - askedAt > 500_000_000L) {
            askedAt = System.nanoTime();
            ask();
            m = known.get(id);
        }
        return m != null ? m : ContainerMeta.idOnly(id);
    }

    private void ask() {
        askPodman();
        askDocker();
    }

    /** docker (the daemon DOCKER_HOST names, when the test started one): name, image, pod labels. */
    private void askDocker() {
        try {
            Process p = new ProcessBuilder("docker", "ps", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t{{.Image}}\t"
                    + "{{.Label \"io.kubernetes.pod.name\"}}\t{{.Label \"io.kubernetes.pod.namespace\"}}")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return;
            }
            for (String line : out.split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length == 5 && f[0].length() == 64) {
                    Map<String, String> labels = new java.util.HashMap<>();
                    if (!f[3].isEmpty()) {
                        labels.put("io.kubernetes.pod.name", f[3]);
                    }
                    if (!f[4].isEmpty()) {
                        labels.put("io.kubernetes.pod.namespace", f[4]);
                    }
                    known.put(f[0], new ContainerMeta(f[0], f[1], f[2], "docker", f[3].isEmpty() ? null : f[3],
                            f[4].isEmpty() ? null : f[4], labels));
                }
            }
        } catch (IOException e) {
            // no docker: podman's only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void askPodman() {
        try {
            Process p = new ProcessBuilder("podman", "ps", "--pod", "--no-trunc", "--format",
                    "{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.PodName}}").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return;
            }
            for (String line : out.split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length == 4 && f[0].length() == 64) {
                    known.put(f[0], new ContainerMeta(f[0], f[1], f[2], "podman", f[3].isEmpty() ? null : f[3], null,
                            Map.of()));
                }
            }
        } catch (IOException e) {
            // no podman: ids only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
