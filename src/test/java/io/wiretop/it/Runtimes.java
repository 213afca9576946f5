// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real container runtimes for the kernel tests: a private podman and a private dockerd, each with
 * its own storage, state and API socket under one work directory, and a busybox image built there
 * from /bin/busybox (no registry is reachable). Nothing is shared with other users of the machine's
 * runtimes: podman runs with {@code --root/--runroot} of its own, dockerd with its own data root,
 * exec root and socket, and neither touches the firewall (containers use {@code --network none} or a
 * pod's or another container's namespace; dockerd runs with {@code --iptables=false --bridge=none
 * --ip-forward=false}).
 * wiretop finds the sockets through {@link #env()} (DOCKER_HOST, CONTAINER_HOST), as a user's
 * shell would name a non-default daemon.
 *
 * <p>{@link #close()} removes everything made, in reverse order, each step on its own so one
 * failure does not leave the rest: containers, pods, images, the API service and the dockerd it
 * started, the cgroup directories the runtimes leave behind, and the work directory. It also runs
 * from a shutdown hook, so an aborted test run cleans up too. How the runtimes behave on this
 * machine (runc and low ulimits for podman, dockerd started by hand): containers-facts.md.
 */
public final class Runtimes implements AutoCloseable {
    /** A started container: its full id, name, main pid (on the host) and unified cgroup path ("" once exited). */
    public record Container(String id, String name, long pid, String cgroup) {
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();
    private final String tag;
    private final Path dir;
    private final Deque<Step> undo = new ArrayDeque<>();
    private final List<String> cgroups = new ArrayList<>();
    // the runtimes' own parents (/docker, /libpod_parent): removed only when empty (others may use them)
    private final List<String> parents = new ArrayList<>();
    private final Thread hook;
    private Podman podman;
    private Docker docker;
    private Path rootfsTar;
    private boolean closed;

    private interface Step {
        void run() throws Exception;
    }

    private Runtimes(String tag) throws IOException {
        if (!tag.matches("[a-z0-9][a-z0-9-]{0,30}")) {
            throw new IllegalArgumentException("a runtime tag is lower-case letters, digits and '-': " + tag);
        }
        this.tag = tag + "-" + ProcessHandle.current().pid();
        // short: podman refuses a run root longer than 50 characters
        this.dir = Files.createDirectory(Path.of("/tmp", "wiretop-rt-" + ProcessHandle.current().pid() + "-"
                + COUNT.incrementAndGet()));
        hook = new Thread(this::closeQuietly, "runtimes-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runtimes whose names all start with {@code tag} and the test process's pid (unique on the machine). */
    public static Runtimes open(String tag) throws IOException {
        return new Runtimes(tag);
    }

    /** The unique prefix of every name made here: containers, pods, images. */
    public String tag() {
        return tag;
    }

    /** The private podman (set up on first use: storage, image). */
    public synchronized Podman podman() throws Exception {
        if (podman == null) {
            podman = new Podman();
        }
        return podman;
    }

    /** The private dockerd (started on first use, with the image imported). */
    public synchronized Docker docker() throws Exception {
        if (docker == null) {
            docker = new Docker();
        }
        return docker;
    }

    /** A directory for the test's own files (captures, logs), removed with everything else by close(). */
    public Path dir() {
        return dir;
    }

    /**
     * A shell command that serves "hello" as /www/index.html with busybox httpd on 127.0.0.1:PORT in
     * the foreground (httpd forks a worker per connection, so the handshake and the request arrive
     * before any process owns the connection).
     */
    public static String httpd(int port) {
        return "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 127.0.0.1:" + port + " -h /www";
    }

    /**
     * wiretop's jar as a user runs it ({@code java -jar}, no test classes on its class path), told
     * where the API sockets started here are ({@link #env()}): names come from its own runtime client.
     */
    public ProcessBuilder wiretop(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", KernelHarness.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env());
        return pb;
    }

    /** What wiretop needs in its environment to find the API sockets started here. */
    public synchronized Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        if (docker != null) {
            env.put("DOCKER_HOST", "unix://" + docker.socket);
            env.put("CONTAINERD_ADDRESS", docker.containerdSocket().toString());
        }
        if (podman != null && podman.socket != null) {
            env.put("CONTAINER_HOST", "unix://" + podman.socket);
        }
        return env;
    }

    /** A busybox root file system as a tar (2 MB, every applet linked), built once. */
    synchronized Path rootfsTar() throws Exception {
        if (rootfsTar == null) {
            Path root = dir.resolve("rootfs");
            Files.createDirectories(root.resolve("bin"));
            Files.createDirectories(root.resolve("etc"));
            Files.createDirectories(root.resolve("tmp"));
            Path busybox = Path.of("/bin/busybox");
            if (!Files.isExecutable(busybox)) {
                throw new IllegalStateException("/bin/busybox missing: scripts/install-deps.sh installs busybox-static");
            }
            Files.copy(busybox, root.resolve("bin/busybox"));
            for (String applet : shell(30, null, "/bin/busybox", "--list").split("\n")) {
                if (!applet.isBlank() && !applet.equals("busybox")) {
                    Files.createSymbolicLink(root.resolve("bin").resolve(applet.strip()), Path.of("busybox"));
                }
            }
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            rootfsTar = dir.resolve("rootfs.tar");
            shell(60, null, "tar", "-C", root.toString(), "-cf", rootfsTar.toString(), ".");
        }
        return rootfsTar;
    }

    /** What the two runtimes share: a command prefix, the image, running and removing containers. */
    public abstract class Engine {
        /** The image every container here runs (a local busybox). */
        public final String image;
        /** "podman" or "docker". */
        public final String name;

        Engine(String name, String image) {
            this.name = name;
            this.image = image;
        }

        abstract List<String> cli();

        abstract Map<String, String> cliEnv();

        /** Runs the runtime's CLI with these arguments; its standard output (the call must succeed). */
        public String cmd(String... args) throws Exception {
            List<String> c = new ArrayList<>(cli());
            c.addAll(List.of(args));
            return shell(120, cliEnv(), c.toArray(String[]::new)).strip();
        }

        /**
         * Starts a detached container named {@code tag-NAME}: {@code options} go before the image (e.g.
         * --network none, --label k=v), {@code command} after it. Removed by close().
         */
        public Container run(String name, List<String> options, String... command) throws Exception {
            String full = tag + "-" + name;
            List<String> a = new ArrayList<>(List.of("run", "-d", "--name", full));
            a.addAll(options);
            a.add(image);
            a.addAll(List.of(command));
            synchronized (Runtimes.this) {
                undo.push(() -> cmd("rm", "-f", full));
            }
            String id = lastLine(cmd(a.toArray(String[]::new)));
            return container(id);
        }

        /** A container's id, name, pid and cgroup as the runtime reports them now. */
        public Container container(String idOrName) throws Exception {
            String[] f = cmd("inspect", "-f", "{{.Id}} {{.Name}} {{.State.Pid}}", idOrName).split(" ");
            long pid = Long.parseLong(f[2]);
            String cgroup = "";
            try {
                for (String l : Files.readAllLines(Path.of("/proc", f[2], "cgroup"))) {
                    if (l.startsWith("0::")) {
                        cgroup = l.substring(3);
                    }
                }
            } catch (IOException e) {
                // exited already (pid 0): a short-lived container
            }
            if (!cgroup.isEmpty()) {
                synchronized (Runtimes.this) {
                    cgroups.add(cgroup);
                }
            }
            return new Container(f[0], f[1].startsWith("/") ? f[1].substring(1) : f[1], pid, cgroup);
        }

        /** Waits (up to 2 minutes) until a container exits; its exit code. */
        public int waitExit(String container) throws Exception {
            return Integer.parseInt(lastLine(cmd("wait", container)));
        }

        /** What a container printed (stdout and stderr, as the runtime logged them). */
        public String logs(String container) throws Exception {
            List<String> c = new ArrayList<>(cli());
            c.addAll(List.of("logs", container));
            ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
            pb.environment().putAll(cliEnv());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(name + " logs " + container + ": " + out);
            }
            return out;
        }

        /**
         * One HTTP GET of http://127.0.0.1:PORT/PATH from inside a container's network namespace
         * (busybox wget, at most 10 s); whether it was answered. Loopback only: the containers here
         * have no other network.
         */
        public boolean get(String container, int port, String path) throws Exception {
            List<String> c = new ArrayList<>(cli());
            c.addAll(List.of("exec", container, "timeout", "10", "wget", "-q", "-O", "/dev/null",
                    "http://127.0.0.1:" + port + "/" + path));
            ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(cliEnv());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        }

        /** Waits (up to 60 s) until a container's namespace answers HTTP on 127.0.0.1:PORT. */
        public void awaitHttp(String container, int port) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!get(container, port, "index.html?ready")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(container + ": nothing answers HTTP on 127.0.0.1:" + port);
                }
                Thread.sleep(200);
            }
        }

        /** Runs a command in a container (exec); its output. */
        public String exec(String container, String... command) throws Exception {
            List<String> a = new ArrayList<>(List.of("exec", container));
            a.addAll(List.of(command));
            return cmd(a.toArray(String[]::new));
        }
    }

    /** podman with its own storage under the work directory, runc and ulimits that fit this machine. */
    public final class Podman extends Engine {
        private final Path conf;
        private Path socket;

        Podman() throws Exception {
            super("podman", "localhost/" + tag + "-busybox:1");
            synchronized (Runtimes.this) {
                parents.add("/libpod_parent");
            }
            conf = dir.resolve("containers.conf");
            // podman's default ulimits exceed the hard limits here, and crun refuses the hybrid cgroup layout
            Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
                    + "[engine]\nruntime = \"runc\"\n");
            synchronized (Runtimes.this) {
                undo.push(() -> cmd("rmi", "-a", "-f"));
            }
            cmd("import", "--change", "CMD [\"/bin/sh\"]", "--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                    rootfsTar().toString(), image);
        }

        @Override
        List<String> cli() {
            return List.of("podman", "--root", dir.resolve("podman-root").toString(),
                    "--runroot", dir.resolve("podman-run").toString(), "--cgroup-manager", "cgroupfs");
        }

        @Override
        Map<String, String> cliEnv() {
            return Map.of("CONTAINERS_CONF", conf.toString());
        }

        /** Creates a pod named {@code tag-NAME} with no network but its loopback; its full id. Removed by close(). */
        public String pod(String name, String... options) throws Exception {
            String full = tag + "-" + name;
            synchronized (Runtimes.this) {
                undo.push(() -> cmd("pod", "rm", "-f", "-t", "0", full));
            }
            List<String> a = new ArrayList<>(List.of("pod", "create", "--name", full, "--network", "none"));
            a.addAll(List.of(options));
            String id = lastLine(cmd(a.toArray(String[]::new)));
            synchronized (Runtimes.this) {
                cgroups.add("/libpod_parent/" + id);
            }
            return id;
        }

        /** The libpod API service on a private socket (started once, stopped by close()); the socket. */
        public synchronized Path service() throws Exception {
            if (socket == null) {
                Path s = dir.resolve("podman.sock");
                List<String> c = new ArrayList<>(cli());
                c.addAll(List.of("system", "service", "--time", "0", "unix://" + s));
                ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("podman-service.log").toFile());
                pb.environment().putAll(cliEnv());
                Process p = pb.start();
                synchronized (Runtimes.this) {
                    undo.push(() -> stop(p));
                }
                awaitPing(s, p);
                socket = s;
            }
            return socket;
        }
    }

    /**
     * A dockerd of our own: own data root, exec root (its containerd), socket; no iptables, no
     * bridge, and the host's ip_forward left as it is.
     */
    public final class Docker extends Engine {
        final Path socket;

        Docker() throws Exception {
            super("docker", tag + "-busybox:1");
            synchronized (Runtimes.this) {
                parents.add("/docker");
            }
            Path d = dir.resolve("docker");
            Files.createDirectories(d);
            socket = d.resolve("docker.sock");
            Process p = new ProcessBuilder("dockerd", "--data-root", d.resolve("root").toString(),
                    "--exec-root", d.resolve("exec").toString(), "--pidfile", d.resolve("dockerd.pid").toString(),
                    "-H", "unix://" + socket, "--iptables=false", "--ip6tables=false", "--bridge=none",
                    "--ip-forward=false", "--ip-masq=false")
                    .redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile()).start();
            synchronized (Runtimes.this) {
                undo.push(() -> stop(p));
            }
            awaitPing(socket, p);
            synchronized (Runtimes.this) {
                undo.push(() -> cmd("rmi", "-f", image));
            }
            cmd("import", "--change", "CMD [\"/bin/sh\"]", "--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                    rootfsTar().toString(), image);
        }

        @Override
        List<String> cli() {
            return List.of("docker", "-H", "unix://" + socket);
        }

        @Override
        Map<String, String> cliEnv() {
            return Map.of();
        }

        /** The API socket of this dockerd. */
        public Path socket() {
            return socket;
        }

        /** The socket of this dockerd's own containerd (ctr's --address). */
        public Path containerdSocket() {
            return socket.getParent().resolve("exec/containerd/containerd.sock");
        }

        private final java.util.Set<String> ctrNamespaces = new java.util.HashSet<>();

        private String ctr(String namespace, String... args) throws Exception {
            List<String> c = new ArrayList<>(List.of("ctr", "--address", containerdSocket().toString(), "-n", namespace));
            c.addAll(List.of(args));
            return shell(120, null, c.toArray(String[]::new));
        }

        /**
         * Runs a container with containerd's own client (ctr, no docker) in containerd namespace
         * {@code namespace} (cgroup /NAMESPACE/ID, a network namespace with only lo), with these OCI
         * annotations (what Kubernetes' CRI plugin writes) and read-only bind mounts (host path →
         * container path); its output goes to {@code log}. Removed by close().
         */
        public Container ctrRun(String namespace, String id, Map<String, String> annotations, Map<Path, String> mounts,
                                Path log, String... command) throws Exception {
            if (ctrNamespaces.add(namespace)) {
                Path tar = dir.resolve("image-" + namespace + ".tar");
                cmd("save", "-o", tar.toString(), image);
                ctr(namespace, "images", "import", tar.toString());
            }
            List<String> a = new ArrayList<>(List.of("run", "-d", "--log-uri", "file://" + log));
            annotations.forEach((k, v) -> a.addAll(List.of("--annotation", k + "=" + v)));
            mounts.forEach((src, dst) -> a.addAll(List.of("--mount", "type=bind,src=" + src + ",dst=" + dst + ",options=rbind:ro")));
            a.add("docker.io/library/" + image);
            a.add(id);
            a.addAll(List.of(command));
            synchronized (Runtimes.this) {
                undo.push(() -> {
                    try {
                        ctr(namespace, "task", "kill", "-s", "KILL", id);
                    } catch (Exception e) {
                        // exited already
                    }
                    for (int i = 0; i < 50; i++) { // the task is deleted once it has stopped
                        try {
                            ctr(namespace, "task", "delete", id);
                            break;
                        } catch (Exception e) {
                            if (String.valueOf(e.getMessage()).contains("not found")) {
                                break;
                            }
                            Thread.sleep(100);
                        }
                    }
                    ctr(namespace, "containers", "delete", id);
                });
                cgroups.add("/" + namespace + "/" + id);
            }
            ctr(namespace, a.toArray(String[]::new));
            return new Container(id, id, ctrPid(namespace, id), "/" + namespace + "/" + id);
        }

        private long ctrPid(String namespace, String id) throws Exception {
            for (String l : ctr(namespace, "task", "ls").split("\n")) {
                String[] f = l.trim().split("\\s+");
                if (f.length >= 3 && f[0].equals(id)) {
                    return Long.parseLong(f[1]);
                }
            }
            return 0;
        }

        /** Waits (up to 2 minutes) until a ctr task has stopped. */
        public void ctrAwaitStopped(String namespace, String id) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                for (String l : ctr(namespace, "task", "ls").split("\n")) {
                    String[] f = l.trim().split("\\s+");
                    if (f.length >= 3 && f[0].equals(id) && f[2].equals("STOPPED")) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("ctr task " + id + " still runs after 2 minutes");
        }

        /** Remembers a cgroup parent the test named (--cgroup-parent), so close() removes it. */
        public void ownsCgroup(String path) {
            synchronized (Runtimes.this) {
                cgroups.add(path);
            }
        }
    }

    /** Waits (up to 30 s) until an API socket answers GET /_ping; fails if the server exits first. */
    private static void awaitPing(Path socket, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException(socket + ": server exited with " + server.exitValue());
            }
            if (Files.exists(socket)) {
                Process c = new ProcessBuilder("curl", "-sf", "--max-time", "2", "--unix-socket", socket.toString(),
                        "http://d/_ping").redirectErrorStream(true).start();
                if (c.waitFor(5, TimeUnit.SECONDS) && c.exitValue() == 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(socket + " did not answer within 30 s");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: dockerd stops its containerd and removes its socket
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String lastLine(String out) {
        String[] l = out.strip().split("\n");
        return l[l.length - 1].strip();
    }

    /** Runs a command that must succeed within the timeout; its standard output (stderr kept for the message). */
    static String shell(int timeoutSeconds, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Path err = Files.createTempFile("wiretop-rt-err", ".txt");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": no exit within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + out + Files.readString(err));
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Removes every cgroup directory the runtimes left for our containers, pods and parents (all hierarchies). */
    private void removeCgroups() throws IOException {
        List<Path> hierarchies = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            s.forEach(hierarchies::add);
        }
        hierarchies.add(Path.of("/sys/fs/cgroup"));
        for (String cg : cgroups) {
            if (cg.isEmpty() || cg.equals("/")) {
                continue;
            }
            for (Path h : hierarchies) {
                // the container's directory, then its parents that are now empty and not shared with others
                Path p = h.resolve(cg.substring(1));
                rmdirTree(p);
                for (Path up = p.getParent(); up != null && up.startsWith(h) && !up.equals(h); up = up.getParent()) {
                    try {
                        Files.delete(up); // only empty directories go: another user's cgroups keep it
                    } catch (IOException e) {
                        break;
                    }
                }
            }
        }
        for (String cg : parents) {
            for (Path h : hierarchies) {
                try {
                    Files.delete(h.resolve(cg.substring(1)));
                } catch (IOException e) {
                    // in use by other containers, or never made
                }
            }
        }
    }

    private static void rmdirTree(Path p) {
        if (!Files.isDirectory(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(d -> {
                try {
                    Files.delete(d);
                } catch (IOException e) {
                    // still has processes, or already gone
                }
            });
        } catch (IOException | RuntimeException e) {
            // removed meanwhile
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("runtimes cleanup: " + e);
        }
    }

    /** Removes everything made here (reverse order, every step tried); the first failure is rethrown after. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
        Exception first = null;
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (Exception e) {
                if (first == null && !String.valueOf(e.getMessage()).contains("no such")
                        && !String.valueOf(e.getMessage()).contains("No such")) {
                    first = e;
                }
            }
        }
        try {
            removeCgroups();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        // the podman storage may hold overlay mounts until its containers are gone: they are now
        try {
            shell(60, null, "rm", "-rf", "--one-file-system", dir.toString());
        } catch (Exception e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
