// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.wiretop.model.SnapshotSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every path but /metrics: {@code /-/healthy} (the Prometheus client's and Prometheus's own name)
 * answers 200 "ok" once an interval has been folded and while intervals keep coming; 503 with the
 * reason before the first one, when they stopped (the engine stuck or failed); a readiness probe can
 * use it. Other paths get 404.
 */
final class HealthHandler implements HttpHandler {
    /** The health endpoint's path. */
    static final String PATH = "/-/healthy";
    private final AtomicReference<Exposition> current;
    private volatile long lastFold = System.nanoTime();
    private volatile long maxGapNanos = Long.MAX_VALUE;
    private volatile SnapshotSource source;

    HealthHandler(AtomicReference<Exposition> current) {
        this.current = current;
    }

    void expectEvery(long millis, SnapshotSource src) {
        maxGapNanos = millis * 1_000_000L;
        source = src;
    }

    void folded() {
        lastFold = System.nanoTime();
    }

    /** Null when healthy, else why not. */
    String problem() {
        SnapshotSource src = source;
        if (src != null && src.failure() != null) {
            return "capture stopped: " + io.wiretop.text.SafeText.printable(String.valueOf(src.failure().getMessage()));
        }
        if (src != null && src.ended()) {
            return "capture ended";
        }
        if (!current.get().live()) {
            return "no interval collected yet";
        }
        long gap = System.nanoTime() - lastFold;
        if (gap > maxGapNanos) {
            return "no interval for " + gap / 1_000_000_000L + " s";
        }
        return null;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int code;
            String body;
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                code = 404;
                body = "not found: the metrics are at /metrics, the health at " + PATH + "\n";
            } else {
                String p = problem();
                code = p == null ? 200 : 503;
                body = p == null ? "ok\n" : p + "\n";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(code, head ? -1 : b.length);
            if (!head) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            }
        }
    }
}
