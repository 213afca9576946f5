// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.events.SyscallEvents;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapEventDecoder;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;

import java.time.ZoneId;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The events of a selection on the live system: a thread opens the kernel's syscall stream for
 * exactly the selected pids (the stream selects in the kernel), folds each event into a
 * {@link SelectionFilter} seeded with the machine's process and fd lists (the head a recording
 * would start with), and hands the selection's
 * events over in batches, one per poll. The thread owns the stream; {@link #close()} stops it and
 * waits until the stream is closed, so every attachment is released when the window closes.
 */
public final class LiveWindowSource implements EventWindowSource {
    /** Opens the stream (the kernel's, or a test's). */
    @FunctionalInterface
    public interface StreamOpener {
        SyscallEvents open() throws Exception;
    }

    static final int POLL_MILLIS = 100;
    /** Events queued for the UI at most; beyond, the oldest batches go (a window on a busy process). */
    static final int MAX_QUEUED = 100_000;

    private final BatchHandOver out = new BatchHandOver(MAX_QUEUED);
    private final java.lang.Thread thread;
    private final java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stop;

    private LiveWindowSource(WindowSelection selection, StreamOpener stream, Supplier<ScapHead> head, ZoneId zone,
            boolean containerInKernel) {
        thread = new java.lang.Thread(() -> run(selection, stream, head, zone, containerInKernel), "wiretop-window-live");
        thread.setDaemon(true);
    }

    /**
     * Starts the thread and waits until the stream is attached (or failed to), so that an error
     * (not root, no BPF) is an exception here, said once by the UI.
     */
    public static LiveWindowSource start(WindowSelection selection, StreamOpener stream, Supplier<ScapHead> head,
            ZoneId zone) throws Exception {
        return start(selection, stream, head, zone, false);
    }

    /**
     * Likewise; {@code containerInKernel}: the stream selects the selection's container in the
     * kernel (its cgroups), so user space does not check it again (see {@link SelectionFilter}).
     */
    public static LiveWindowSource start(WindowSelection selection, StreamOpener stream, Supplier<ScapHead> head,
            ZoneId zone, boolean containerInKernel) throws Exception {
        LiveWindowSource s = new LiveWindowSource(selection, stream, head, zone, containerInKernel);
        s.thread.start();
        s.opened.await();
        if (s.out.failure() != null && s.out.ended()) {
            throw new Exception(s.out.failure());
        }
        return s;
    }

    private void run(WindowSelection selection, StreamOpener opener, Supplier<ScapHead> head, ZoneId zone,
            boolean containerInKernel) {
        SyscallEvents stream = null;
        Throwable failed = null;
        try {
            SelectionFilter fold = new SelectionFilter(selection, ScapHeadBlocks.section(head.get()), zone, containerInKernel);
            stream = opener.open();
            opened.countDown();
            List<WindowEvent> batch = new ArrayList<>();
            while (!stop) {
                stream.poll(POLL_MILLIS, (cpu, buf) -> {
                    ScapEvent e = ScapEventDecoder.decode(cpu, buf);
                    WindowEvent w = e == null ? null : fold.apply(e);
                    if (w != null) {
                        batch.add(w);
                    }
                });
                out.offer(batch);
                batch.clear();
            }
        } catch (Exception | LinkageError ex) {
            failed = ex;
        } finally {
            if (stream != null) {
                stream.close();
            }
            out.finish(failed); // after the close: finished() means every attachment is released
            opened.countDown();
        }
    }

    /** Live: a connection's packets are the engine's (the packet hooks, attached on demand). */
    @Override
    public boolean packetsFromCapture() {
        return true;
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

    /** Stops the thread and waits (up to 2 s) for it to close the stream. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
    }
}
