// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The container image, built by deploy/image/build.sh with podman from nothing but this machine's
 * files (no registry), run with exactly what deploy/kubernetes/daemonset.yaml grants (capabilities,
 * seccomp, hostPID, read-only root, host mounts: {@link DaemonSetSpec}) against the host kernel:
 * a host process moves known bytes over loopback and the agent in the container reports them.
 * When the jar has `serve`, the container runs the DaemonSet's own args and the test reads the
 * health endpoint and /metrics on loopback in the agent's network namespace (nsenter; with hostNetwork the node's);
 * before that, the same image runs `--json`. The container and image are removed on any exit, and
 * the agent's BPF programs and links must be gone once it stopped.
 */
class ImageKernelIT {
    private static final long SENT = 5_000_000, REPLY = 1000; // workload tcp: client sends SENT, server replies REPLY

    @Test
    void imageRunsWithTheDaemonSetsGrantsAndCountsAHostProcess() throws Exception {
        KernelHarness.requireRoot();
        assertTrue(onPath("podman"), "the image test builds with podman: install it (scripts/install-deps.sh test: podman runc)");
        Path src = Path.of(System.getProperty("wiretop.sources", "."));
        Path dir = Files.createDirectories(KernelHarness.workDir().resolve("image"));
        String id = Long.toHexString(ProcessHandle.current().pid()) + Long.toHexString(System.nanoTime() & 0xffffff);
        String tag = "localhost/wiretop-it-" + id + ":test", name = "wiretop-it-" + id;
        // this machine's runtime setup (containers-facts.md): rlimits within the hard limits, runc
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
                + "[engine]\nruntime = \"runc\"\n");
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString());
        DaemonSetSpec ds = DaemonSetSpec.read(src.resolve("deploy/kubernetes/daemonset.yaml"));
        boolean serve = KernelHarness.sh(60, "java", "-jar", KernelHarness.jar().toString(), "--help")
                .lines().anyMatch(l -> l.startsWith("  serve "));
        // a comm no other test's process has: the copied workload's file name
        String comm = "wtimg" + String.format("%08x", System.nanoTime() & 0xffffffffL);
        Path workload = dir.resolve(comm);
        Files.copy(KernelHarness.workload(), workload, StandardCopyOption.REPLACE_EXISTING);
        workload.toFile().setExecutable(true);
        try {
            String built = run(env, 600, src.resolve("deploy/image/build.sh").toString(), "--jar",
                    KernelHarness.jar().toString(), "--tag", tag, "--engine", "podman");
            String[] last = built.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
            assertEquals(tag, last[0], "build.sh names the image it built: " + built);
            long size = Long.parseLong(last[1]);
            System.out.printf("ImageKernelIT: image %s is %.1f MB; mode %s; DaemonSet options %s; host paths absent here %s%n",
                    tag, size / 1e6, serve ? "serve " + ds.args : "--json", ds.runOptions, ds.missing);
            assertTrue(size < 80_000_000L, "the image stays minimal (jlink'ed runtime, no distribution): " + size + " bytes");

            List<String> cmd = new ArrayList<>(List.of("podman", "run", "-d", "--name", name));
            cmd.addAll(ds.runOptions);
            cmd.add(tag);
            cmd.addAll(serve ? ds.args : List.of("--json", "-v", "procs", "-d", "1000", "-n", "0"));
            run(env, 60, cmd.toArray(String[]::new));
            long agentPid = Long.parseLong(run(env, 30, "podman", "inspect", "-f", "{{.State.Pid}}", name).strip());
            assertTrue(agentPid > 0, "the container runs");

            LongSupplier moved;
            if (serve) {
                String health = "http://127.0.0.1:" + ds.port + ds.readinessPath;
                waitFor(90, () -> running(env, name) && curlInNetns(agentPid, health) != null, () -> "the readiness endpoint " + health
                        + " never answered: " + logs(env, name));
                moved = () -> metricBytes(curlInNetns(agentPid, "http://127.0.0.1:" + ds.port + "/metrics"), comm);
            } else {
                waitFor(90, () -> running(env, name) && !jsonLines(env, name).isEmpty(), () -> "no interval printed: " + logs(env, name));
                moved = () -> jsonBytes(jsonLines(env, name), comm);
            }
            KernelHarness.Owned owned = KernelHarness.owned(agentPid);
            assertFalse(owned.progs().isEmpty() && owned.links().isEmpty(), "the agent holds BPF programs");

            List<KernelHarness.Moved> truth = KernelHarness.moved(run(Map.of(), 60, workload.toString(), "tcp", "4",
                    Long.toString(SENT), "5000"));
            assertEquals(SENT, truth.stream().mapToLong(KernelHarness.Moved::netOut).max().orElse(0), "workload report");
            long want = SENT + REPLY;
            long[] seen = {0};
            waitFor(30, () -> (seen[0] = moved.getAsLong()) >= want * 0.99, () -> "the agent in the container saw "
                    + seen[0] + " bytes sent by " + comm + ", the workload sent " + want + "; " + logs(env, name));
            assertTrue(seen[0] <= want * 1.01, comm + " sent " + want + ", the agent counted " + seen[0]);

            run(env, 60, "podman", "stop", "-t", "20", name);
            KernelHarness.assertReleased(owned, "podman stop");
        } finally {
            quiet(env, "podman", "rm", "-f", "-t", "0", name);
            quiet(env, "podman", "rmi", "-f", tag);
            Files.deleteIfExists(workload);
        }
    }

    /** Sum of the exposition's samples of the transmit counter whose labels name this process. */
    static long metricBytes(String exposition, String comm) {
        if (exposition == null) {
            return 0;
        }
        Pattern p = Pattern.compile("(?m)^wiretop_process_network_transmit_bytes_total\\{[^}]*=\"" + Pattern.quote(comm)
                + "\"[^}]*\\} (\\S+)");
        Matcher m = p.matcher(exposition);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** Sum of net_bytes_out over every interval's rows of this process name. */
    static long jsonBytes(List<JsonNode> intervals, String comm) {
        long sum = 0;
        for (JsonNode i : intervals) {
            for (JsonNode r : i.path("rows")) {
                if (r.path("comm").asText().equals(comm)) {
                    sum += r.path("net_bytes_out").asLong();
                }
            }
        }
        return sum;
    }

    private static List<JsonNode> jsonLines(Map<String, String> env, String name) {
        List<JsonNode> r = new ArrayList<>();
        try {
            ProcessBuilder pb = new ProcessBuilder("podman", "logs", name).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            for (String l : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (l.startsWith("{")) {
                    r.add(KernelHarness.JSON.readTree(l));
                }
            }
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    /** GET inside the agent's network namespace (its loopback); null until it answers 2xx. */
    private static String curlInNetns(long pid, String url) {
        try {
            Process p = new ProcessBuilder("nsenter", "-t", Long.toString(pid), "-n", "curl", "-sf", "-m", "5", url)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The container's last lines, stdout and stderr (wiretop's one-line errors go to stderr). */
    private static String logs(Map<String, String> env, String name) {
        try {
            ProcessBuilder pb = new ProcessBuilder("podman", "logs", "--tail", "20", name).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().filter(l -> !l.startsWith("{")).reduce("", (a, b) -> a + "\n" + b);
        } catch (IOException e) {
            return "(no logs: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** Fails at once, with its output, when the agent's container has stopped. */
    private static boolean running(Map<String, String> env, String name) throws Exception {
        String state = run(env, 30, "podman", "inspect", "-f", "{{.State.Running}}", name).strip();
        if (!state.equals("true")) {
            fail("the agent's container stopped: " + logs(env, name));
        }
        return true;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(int seconds, Check check, java.util.function.Supplier<String> why) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                fail(why.get());
            }
            Thread.sleep(500);
        }
    }

    /** Runs a command that must succeed; its stdout (stderr goes into the failure message). */
    private static String run(Map<String, String> env, int seconds, String... cmd) throws Exception {
        Path err = Files.createTempFile("wiretop-image-it-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + ": no exit within " + seconds + " s");
            }
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out + Files.readString(err));
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void quiet(Map<String, String> env, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            pb.start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing to remove: podman is missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
