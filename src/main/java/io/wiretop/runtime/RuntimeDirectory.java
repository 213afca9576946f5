// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerIds;
import io.wiretop.host.ContainerMeta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Container names, images and pods from the runtimes' API sockets (Docker Engine, Podman) and, for
 * those without a JSON API (containerd, CRI-O), from their specs on disk ({@link TaskSpecs}), for
 * every user of {@link ContainerDirectory}. A lookup answers from the cache at once; an id not seen
 * before makes one thread of its own ("wiretop-containers") list every runtime's containers, each
 * call bounded by a timeout. A socket that does not exist costs a stat; one that fails is left
 * quiet (no message: the id alone is shown) and asked again only when a new id appears. An id the
 * runtimes did not know yet (a container seen starting before it is listed) is asked about again a
 * few times, a second apart.
 */
public final class RuntimeDirectory implements ContainerDirectory, AutoCloseable {
    /** The sockets asked when the environment names none: dockerd's and rootful podman's. */
    static final List<Path> DEFAULT_SOCKETS = List.of(Path.of("/var/run/docker.sock"), Path.of("/run/podman/podman.sock"));
    private static final int MAX_ENTRIES = 20000;
    private static final int RETRIES = 3;
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final List<RuntimeSocket> sockets;
    private final TaskSpecs specs;
    private final java.util.function.Supplier<Map<String, io.wiretop.host.ContainerRef>> cgroups;
    // what the cgroup path says of ids no runtime named: the engine (for F8), asked again later
    private final Map<String, ContainerMeta> hinted = new ConcurrentHashMap<>();
    private final long timeoutMillis;
    private final Map<String, ContainerMeta> known = new ConcurrentHashMap<>();
    private final Map<String, Miss> missed = new ConcurrentHashMap<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService worker;
    private volatile int refreshes;

    private record Miss(int tries, long nextNanos) {
    }

    /** A directory asking these sockets, each call within {@code timeoutMillis}. */
    public RuntimeDirectory(List<Path> sockets, long timeoutMillis) {
        this(sockets, timeoutMillis, new TaskSpecs(List.of(), null), Map::of);
    }

    /** Also reading containerd's and CRI-O's specs ({@link TaskSpecs}) for ids no socket named. */
    RuntimeDirectory(List<Path> sockets, long timeoutMillis, TaskSpecs specs) {
        this(sockets, timeoutMillis, specs, Map::of);
    }

    /** Also taking the runtime of still unnamed ids from their cgroup paths ({@code cgroups}: id → ref). */
    RuntimeDirectory(List<Path> sockets, long timeoutMillis, TaskSpecs specs,
                     java.util.function.Supplier<Map<String, io.wiretop.host.ContainerRef>> cgroups) {
        this.specs = specs;
        this.cgroups = cgroups;
        List<RuntimeSocket> s = new ArrayList<>();
        for (Path p : sockets) {
            if (s.stream().noneMatch(x -> x.path.equals(p))) {
                s.add(new RuntimeSocket(p));
            }
        }
        this.sockets = List.copyOf(s);
        this.timeoutMillis = timeoutMillis;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wiretop-containers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The sockets a user's environment names: DOCKER_HOST and CONTAINER_HOST (podman's) when they
     * are unix:// addresses, then the default ones; containerd's tasks beside CONTAINERD_ADDRESS
     * (ctr's variable), then its default places, and CRI-O's.
     */
    public static RuntimeDirectory fromEnvironment(Map<String, String> env) {
        List<Path> s = new ArrayList<>();
        for (String var : List.of("DOCKER_HOST", "CONTAINER_HOST")) {
            String v = env.get(var);
            if (v != null && v.startsWith("unix://") && v.length() > "unix://".length()) {
                s.add(Path.of(v.substring("unix://".length())));
            }
        }
        s.addAll(DEFAULT_SOCKETS);
        List<Path> tasks = new ArrayList<>();
        String ctr = env.get("CONTAINERD_ADDRESS");
        if (ctr != null && !ctr.isEmpty()) {
            tasks.addAll(TaskSpecs.rootsOf(Path.of(ctr.startsWith("unix://") ? ctr.substring(7) : ctr)));
        }
        tasks.addAll(TaskSpecs.DEFAULT_TASK_ROOTS);
        return new RuntimeDirectory(s, 2000, new TaskSpecs(tasks, TaskSpecs.CRIO_CONTAINERS),
                io.wiretop.host.CgroupContainers::onHost);
    }

    @Override
    public ContainerMeta lookup(String id) {
        ContainerMeta m = known.get(id);
        if (m != null) {
            return m;
        }
        Miss miss = missed.get(id);
        long now = System.nanoTime();
        if (miss == null || miss.tries < RETRIES && now - miss.nextNanos >= 0) {
            if (missed.size() < MAX_ENTRIES) {
                missed.put(id, new Miss(miss == null ? 1 : miss.tries + 1, now + RETRY_NANOS));
            }
            if (!pending.getAndSet(true)) {
                try {
                    worker.execute(this::refresh);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    pending.set(false); // closed
                }
            }
        }
        ContainerMeta hint = hinted.get(id);
        return hint != null ? hint : ContainerMeta.idOnly(id);
    }

    /** The sockets asked, in order. */
    List<Path> socketPaths() {
        return sockets.stream().map(s -> s.path).toList();
    }

    /** How many times the runtimes were listed (tests: a new id asks, a known one does not). */
    int refreshes() {
        return refreshes;
    }

    /** Lists every socket's containers into the cache (the worker thread only). */
    void refresh() {
        pending.set(false); // an id that appears from now on asks again
        refreshes++;
        for (RuntimeSocket s : sockets) {
            if (!Files.exists(s.path)) {
                continue;
            }
            try {
                for (ContainerMeta c : s.list(timeoutMillis)) {
                    if (c.id().length() == 64 && known.size() < MAX_ENTRIES) {
                        known.put(c.id(), c);
                        known.put(ContainerIds.shortId(c.id()), c);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not running, not ours to read, slow or not a runtime: the ids are shown alone
            }
        }
        // what no API named: containerd's and CRI-O's specs on disk (API answers win)
        for (ContainerMeta c : specs.list(known::containsKey)) {
            if (known.size() < MAX_ENTRIES) {
                known.putIfAbsent(c.id(), c);
                known.putIfAbsent(ContainerIds.shortId(c.id()), c);
            }
        }
        missed.keySet().removeIf(known::containsKey);
        if (!missed.isEmpty()) {
            Map<String, io.wiretop.host.ContainerRef> refs = cgroups.get();
            for (String id : missed.keySet()) {
                io.wiretop.host.ContainerRef ref = refs.get(id);
                if (ref != null && ref.runtime() != null && hinted.size() < MAX_ENTRIES) {
                    hinted.put(id, new ContainerMeta(ref.id(), null, null, ref.runtime(), null, null, Map.of()));
                }
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
