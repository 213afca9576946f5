// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a selection in a replayed {@code .scap} file: a daemon thread reads the file again
 * from its start with its own {@link ScapReader} and {@link SelectionFilter} (the thread owns both)
 * and hands the selection's events to the UI in batches of at most {@link #BATCH}. The whole file is
 * delivered at once, as csysdig does when it replays a file into an Echo or Dig window. At most
 * {@link #MAX_EVENTS} events are kept, so a window on the busiest process of a huge file stays bounded.
 */
public final class ScapWindowSource implements EventWindowSource {
    static final int BATCH = 512;
    static final int MAX_EVENTS = 200_000;

    private final BatchHandOver out = new BatchHandOver(MAX_EVENTS);
    private final java.lang.Thread thread;
    private volatile boolean stop;

    private ScapWindowSource(Path file, WindowSelection selection, ZoneId zone) {
        thread = new java.lang.Thread(() -> run(file, selection, zone), "wiretop-window-replay");
        thread.setDaemon(true);
    }

    /** Starts reading {@code file} for {@code selection}, Dig's times in {@code zone}. */
    public static ScapWindowSource start(Path file, WindowSelection selection, ZoneId zone) {
        ScapWindowSource s = new ScapWindowSource(file, selection, zone);
        s.thread.start();
        return s;
    }

    private void run(Path file, WindowSelection selection, ZoneId zone) {
        try (ScapReader r = ScapReader.open(file)) {
            SelectionFilter fold = new SelectionFilter(selection, r.section(), zone);
            int sections = r.sections();
            List<WindowEvent> batch = new ArrayList<>();
            long kept = 0;
            ScapEvent e;
            while (!stop && (e = r.next()) != null) {
                if (r.sections() != sections) {
                    sections = r.sections();
                    fold.section(r.section());
                }
                WindowEvent w = fold.apply(e);
                if (w != null && kept < MAX_EVENTS) {
                    batch.add(w);
                    kept++;
                    if (batch.size() == BATCH) {
                        out.offer(batch);
                        batch.clear();
                    }
                }
            }
            out.offer(batch);
            out.finish(null);
        } catch (IOException | RuntimeException ex) {
            out.finish(ex);
        }
    }

    @Override
    public List<List<WindowEvent>> drain() {
        return out.drain();
    }

    @Override
    public boolean finished() {
        return out.finished();
    }

    @Override
    public String failure() {
        return out.failure();
    }

    /** Waits until the file is read (tests). */
    public void await(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
