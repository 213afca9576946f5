// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a window source's thread hands its events to the UI thread: immutable batches in a queue
 * (at most {@code maxQueued} events: beyond, the oldest batches go), then once at the end, whether
 * it ended well. The source's thread writes, the UI thread drains.
 */
final class BatchHandOver {
    private final ConcurrentLinkedQueue<List<WindowEvent>> batches = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int maxQueued;
    private volatile boolean finished;
    private volatile String failure;

    BatchHandOver(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    /** Hands over a copy of {@code batch} (nothing when it is empty). Source thread. */
    void offer(List<WindowEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        batches.add(List.copyOf(batch));
        queued.addAndGet(batch.size());
        List<WindowEvent> old;
        while (queued.get() > maxQueued && (old = batches.poll()) != null) {
            queued.addAndGet(-old.size());
        }
    }

    /** The source has ended; {@code why} is what stopped it early, or null. Source thread. */
    void finish(Throwable why) {
        if (why != null) {
            failure = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().replace('\n', ' ');
        }
        finished = true;
    }

    /** The batches handed over since the last call, oldest first. UI thread. */
    List<List<WindowEvent>> drain() {
        List<List<WindowEvent>> out = new ArrayList<>();
        List<WindowEvent> b;
        while ((b = batches.poll()) != null) {
            out.add(b);
            queued.addAndGet(-b.size());
        }
        return out;
    }

    /** Ended and every batch drained. */
    boolean finished() {
        return finished && batches.isEmpty();
    }

    /** Ended, drained or not. */
    boolean ended() {
        return finished;
    }

    /** One line: why the source stopped early, or null. */
    String failure() {
        return failure;
    }
}
