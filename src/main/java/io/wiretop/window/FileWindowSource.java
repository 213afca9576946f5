// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A window on a replayed file: a daemon thread reads the file again from its start (the thread owns
 * its reader and fold) and hands the selection's events to the UI in batches of at most
 * {@link #BATCH}. The whole file is delivered at once, as csysdig does when it replays a file into an
 * Echo or Dig window; at most {@link #MAX_EVENTS} are kept, so a window on the busiest process of a
 * huge file stays bounded. Subclasses say how a file is read ({@link #read}).
 */
abstract class FileWindowSource implements EventWindowSource {
    static final int BATCH = 512;
    static final int MAX_EVENTS = 200_000;

    private final BatchHandOver out = new BatchHandOver(MAX_EVENTS);
    private final List<WindowEvent> batch = new ArrayList<>();
    private final java.lang.Thread thread;
    private volatile boolean stop;
    private long kept;

    FileWindowSource(String threadName) {
        thread = new java.lang.Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** Starts the reading thread (once the subclass is constructed). */
    final void begin() {
        thread.start();
    }

    /** Reads the file, passing each event of the selection to {@link #keep}, while {@link #more}. */
    abstract void read() throws IOException;

    /** Whether reading should go on: not closed, and room for more events. */
    final boolean more() {
        return !stop && kept < MAX_EVENTS;
    }

    /** Keeps one event of the selection (on the reading thread). */
    final void keep(WindowEvent w) {
        if (kept >= MAX_EVENTS) {
            return;
        }
        batch.add(w);
        kept++;
        if (batch.size() == BATCH) {
            out.offer(batch);
            batch.clear();
        }
    }

    private void run() {
        try {
            read();
            out.offer(batch);
            out.finish(null);
        } catch (IOException | RuntimeException ex) {
            out.finish(ex);
        }
    }

    @Override
    public final List<List<WindowEvent>> drain() {
        return out.drain();
    }

    @Override
    public final boolean finished() {
        return out.finished();
    }

    @Override
    public final String failure() {
        return out.failure();
    }

    /** Waits until the file is read (tests). */
    public final void await(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public final void close() {
        stop = true;
        thread.interrupt();
    }
}
