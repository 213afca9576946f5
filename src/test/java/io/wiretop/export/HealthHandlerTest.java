// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What /-/healthy says: not ready before the first interval, ready while intervals come, why not after. */
class HealthHandlerTest {
    /** A source whose failure and end the test sets. */
    private static final class Source implements SnapshotSource {
        volatile Throwable failure;
        volatile boolean ended;

        @Override
        public Snapshot latest() {
            return null;
        }

        @Override
        public Snapshot awaitAfter(long afterSeq, long timeoutMillis) {
            return null;
        }

        @Override
        public String label() {
            return "test";
        }

        @Override
        public Set<String> availableSources() {
            return Set.of();
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public Throwable failure() {
            return failure;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void notReadyThenReadyThenWhyNot() throws Exception {
        AtomicBoolean live = new AtomicBoolean();
        HealthHandler h = new HealthHandler(live::get);
        Source src = new Source();
        h.expectEvery(200, src);
        assertEquals("no interval collected yet", h.problem());
        live.set(true);
        h.folded();
        assertNull(h.problem());
        Thread.sleep(400); // no interval for longer than expected: the engine is stuck
        assertEquals("no interval for 0 s", h.problem());
        h.folded();
        assertNull(h.problem());
        src.failure = new RuntimeException("ring buffer\u001b gone");
        assertEquals("capture stopped: ring buffer\\x1b gone", h.problem());
        src.failure = null;
        src.ended = true;
        assertEquals("capture ended", h.problem());
    }
}
