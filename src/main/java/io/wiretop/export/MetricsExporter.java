// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ProcFs;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Prometheus endpoint: {@code /metrics} (Prometheus text 0.0.4 or OpenMetrics, as the scraper
 * asks) and {@code /-/healthy} ({@link HealthHandler}) on one port. {@link #bind} opens the port
 * (before anything is loaded into the kernel, so that a port in use is said at once); {@link #follow}
 * then starts a thread that takes every snapshot the engine publishes and folds it ({@link Ledger}).
 * A scrape returns the newest folded exposition, an immutable object: it never waits for the engine
 * nor reads its state. The engine is shared (the TUI or --raw may run beside): the exporter never
 * says what it wants collected.
 */
public final class MetricsExporter implements AutoCloseable {
    private final Ledger ledger;
    private final HTTPServer server;
    private final AtomicReference<Exposition> current;
    private final AtomicLong scrapedView = new AtomicLong();
    private final HealthHandler health;
    private volatile Thread follower;
    private volatile boolean running = true;

    private MetricsExporter(Ledger ledger, HTTPServer server, AtomicReference<Exposition> current,
                            HealthHandler health) {
        this.ledger = ledger;
        this.server = server;
        this.current = current;
        this.health = health;
    }

    /** Opens the port and serves the build info until {@link #follow}; a port that cannot be bound throws. */
    public static MetricsExporter bind(ListenAddress at, MetricsOptions opts, ContainerDirectory directory)
            throws IOException {
        Ledger ledger = new Ledger(opts, directory, BuildInfo.version());
        AtomicReference<Exposition> current = new AtomicReference<>(ledger.empty());
        AtomicLong scraped = new AtomicLong();
        PrometheusRegistry registry = new PrometheusRegistry();
        HealthHandler health = new HealthHandler(current);
        HTTPServer.Builder b = HTTPServer.builder().port(at.port()).registry(registry)
                .registerHealthHandler(false).defaultHandler(health);
        if (at.address() != null) {
            b.inetAddress(at.address());
        }
        MetricsExporter e = new MetricsExporter(ledger, b.buildAndStart(), current, health);
        registry.register(e.collector());
        return e;
    }

    private MultiCollector collector() {
        return new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                Exposition e = current.get();
                scrapedView.accumulateAndGet(e.view(), Math::max); // its released pid series may go now
                return e.metrics();
            }
        };
    }

    /** The port bound (the one chosen by the system for port 0). */
    public int port() {
        return server.getPort();
    }

    /**
     * Starts folding the source's snapshots. Health is good while one arrives at least every
     * max(10 s, 3 intervals) and the source has not failed.
     */
    public void follow(SnapshotSource src, long intervalMillis) {
        health.expectEvery(Math.max(10_000, 3 * intervalMillis), src);
        Thread t = new Thread(() -> run(src), "wiretop-metrics");
        t.setDaemon(true);
        follower = t;
        t.start();
    }

    private void run(SnapshotSource src) {
        ProcFs proc = ProcFs.system();
        long seq = 0;
        try {
            while (running) {
                Snapshot s = src.awaitAfter(seq, 1000);
                if (s == null) {
                    if (src.failure() != null || src.ended()) {
                        return; // health says why
                    }
                    continue;
                }
                if (seq > 0 && s.seq() > seq + 1) {
                    ledger.skipped(s.seq() - seq - 1); // replaced before this thread took it: its bytes are missing
                }
                seq = s.seq();
                current.set(ledger.fold(s, scrapedView.get(), sockets(proc)));
                health.folded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close()
        }
    }

    private static Map<String, Long> sockets(ProcFs proc) {
        try {
            return SocketStates.count(proc);
        } catch (RuntimeException e) {
            return null; // no /proc/net: the gauge is left out
        }
    }

    /** Stops the thread and the HTTP server (its port is free when this returns). */
    @Override
    public void close() {
        running = false;
        Thread t = follower;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.close();
    }
}
