// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.trace.scap.ScapContainers;
import io.wiretop.trace.scap.ScapWriter;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Container events for the containers a file's head did not name: a container started after the
 * head (or one its runtime had not yet answered for) gets its event when a thread of it first
 * appears in the stream, before that thread's event, if its runtime can name it then. The runtimes
 * answer off this thread, and a new container's first process runs before its runtime knows it:
 * an id not answered for yet is asked again (a map lookup) at most every {@link #RETRY_NANOS}, its
 * event written before the next event once they have (as sysdig's dumps write a container event
 * when its lookup ends). Events are never held back for an answer: the ring would fill meanwhile.
 * Confined to the recording's thread.
 */
final class LateContainers {
    static final long RETRY_NANOS = 100_000_000L;
    private static final int MAX_TIDS = 65536;
    private final ContainerDirectory directory;
    private final LongFunction<String> containerOf;
    private final Set<String> written = new HashSet<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    // threads already placed: a thread's container is read from /proc once
    private final Map<Long, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> e) {
            return size() > MAX_TIDS;
        }
    };
    private long lastRetry;

    /** {@code containerOf}: a thread's whole container id, or null (on the host, or gone). */
    LateContainers(ContainerDirectory directory, LongFunction<String> containerOf) {
        this.directory = directory;
        this.containerOf = containerOf;
    }

    /** A new file, whose head named these ids: every other container gets its event again in it. */
    void newFile(Set<String> namedByHead) {
        written.clear();
        written.addAll(namedByHead);
        waiting.clear();
        seen.clear();
    }

    /** Before an event of {@code tid} at {@code tsNanos}: the container events it needs first. */
    void before(ScapWriter w, long tid, long tsNanos) throws IOException {
        if (!waiting.isEmpty() && System.nanoTime() - lastRetry >= RETRY_NANOS) {
            lastRetry = System.nanoTime();
            for (var it = waiting.iterator(); it.hasNext(); ) {
                String id = it.next();
                if (ScapContainers.writeOne(w, id, directory, tsNanos)) {
                    written.add(id);
                    it.remove();
                }
            }
        }
        if (seen.put(tid, Boolean.TRUE) != null) {
            return;
        }
        String id = containerOf.apply(tid);
        if (id == null || written.contains(id) || waiting.contains(id)) {
            return;
        }
        if (ScapContainers.writeOne(w, id, directory, tsNanos)) {
            written.add(id);
        } else {
            waiting.add(id);
        }
    }
}
