// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.Aggregator;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Feed} turned into a {@link SnapshotSource}: one thread, "wiretop-engine", owns the feed
 * and the {@link Aggregator}; per interval it asks the feed for the next one (passing what the
 * screen wants), hands its events, counters and scan to the aggregator, lets the feed forget what
 * the aggregator no longer needs, and publishes an immutable {@link Snapshot}. When the feed's
 * input ends the source is {@link #ended()}; when it throws, {@link #failure()} says why. Either
 * way, and on {@link #close()}, the thread closes the feed on its way out (a live feed releases
 * every BPF attachment there), so the feed is never used by two threads.
 */
public final class Engine implements SnapshotSource {
    private final Feed feed;
    private final Pacing pacing;
    private final String label; // read before the thread starts: the feed is the engine thread's from then on
    private final Set<String> available;
    private final Aggregator aggregator;
    /** What an interval that does not say collects: what the feed said before it started. */
    private final Interval.Collectors fixed;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final Object published = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Set<String> wanted = Set.of();
    private volatile PacketSelection wantedPackets = PacketSelection.NONE;
    /** Guarded by {@link #published}: the newest seq the consumer has said it has (by asking for a newer one). */
    private long takenSeq;
    private volatile boolean ended;
    private volatile Throwable failure;
    private boolean closed;

    private Engine(Feed feed, Pacing pacing) {
        this.feed = feed;
        this.pacing = pacing;
        this.aggregator = new Aggregator(feed.info(), feed.net(), feed.fileIo(), feed.wire());
        this.aggregator.useContainers(feed.containers());
        this.fixed = new Interval.Collectors(feed.fileIo(), feed.wire());
        this.label = feed.label();
        this.available = Set.copyOf(feed.availableSources());
        this.thread = new Thread(this::run, "wiretop-engine");
        this.thread.setDaemon(true);
    }

    /** Starts the engine's thread on a feed that paces itself (the live system). */
    public static Engine start(Feed feed) {
        return start(feed, Pacing.FEED);
    }

    /** Starts the engine's thread; from now on only that thread calls the feed. */
    public static Engine start(Feed feed, Pacing pacing) {
        return start(feed, pacing, Demand.NONE);
    }

    /**
     * Starts the engine's thread with a demand known before the first interval (a printer's view):
     * a live feed attaches what it needs before its baseline, so the first interval is a full one.
     */
    public static Engine start(Feed feed, Pacing pacing, Demand initial) {
        Engine e = new Engine(feed, pacing);
        e.wanted = Set.copyOf(initial.sources());
        e.wantedPackets = initial.packets();
        e.thread.start();
        return e;
    }

    private void run() {
        try {
            feed.follow(this::demand);
            FeedStart start = feed.start();
            if (start.known() != null) {
                aggregator.learn(start.known()); // the slow part, before the clock starts
            }
            if (start.baseline() == null) {
                aggregator.start(start.monoNanos(), start.alive());
            } else {
                aggregator.start(start.monoNanos(), start.baseline(), start.alive());
            }
            long due = System.nanoTime() + pacing.wallNanos();
            while (running) {
                Interval in = feed.next(demand());
                if (in == null) {
                    synchronized (published) {
                        ended = true;
                        published.notifyAll();
                    }
                    return;
                }
                Snapshot snap = tick(in);
                if (pacing.wallNanos() > 0) {
                    due = waitUntil(due) + pacing.wallNanos();
                }
                publish(snap);
                if (pacing.handOver()) {
                    awaitTaken(snap.seq());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close(): not a failure
        } catch (Throwable t) {
            if (!running) {
                return; // close() interrupted a read, which may say so with any exception
            }
            synchronized (published) {
                failure = t;
                published.notifyAll();
            }
        } finally {
            feed.close();
        }
    }

    private Demand demand() {
        return new Demand(wanted, wantedPackets);
    }

    /** Events, counters, late events, scan, in the order the aggregator needs them; then the feed's cleanup. */
    private Snapshot tick(Interval in) throws Exception {
        for (ProcEvent e : in.events()) {
            aggregator.onEvent(e);
        }
        for (ProcEvent e : in.lateEvents()) {
            aggregator.onLateEvent(e);
        }
        Interval.Collectors on = in.collectors() != null ? in.collectors() : fixed;
        Aggregator.Result r = aggregator.tick(in.endNanos(), in.sample(), in.scan(), in.closedCookies(), feed.label(),
                on.fileIo(), on.wire());
        feed.apply(r.cleanup());
        Snapshot snap = r.snapshot();
        Map<String, List<? extends Row>> extra = feed.extraSources();
        if (extra.isEmpty()) {
            return snap;
        }
        Map<String, List<? extends Row>> sources = new HashMap<>(snap.sources());
        sources.putAll(extra);
        return new Snapshot(snap.seq(), snap.monoNanos(), snap.intervalSeconds(), Map.copyOf(sources), snap.losses(),
                snap.sourceLabel(), snap.collected());
    }

    /** Sleeps until the wall clock reaches due; returns when the next interval's wait starts (now if late: no burst). */
    private static long waitUntil(long due) throws InterruptedException {
        long now = System.nanoTime();
        if (now < due) {
            Thread.sleep((due - now) / 1_000_000L, (int) ((due - now) % 1_000_000L));
            return due;
        }
        return now;
    }

    private void publish(Snapshot s) {
        latest.set(s);
        synchronized (published) {
            published.notifyAll();
        }
    }

    private void awaitTaken(long seq) throws InterruptedException {
        synchronized (published) {
            while (running && takenSeq < seq) {
                published.wait();
            }
        }
    }

    @Override
    public Snapshot latest() {
        return latest.get();
    }

    /**
     * Waits for a snapshot newer than afterSeq. Asking for one newer than afterSeq also says the
     * consumer has afterSeq: an engine that hands every snapshot over reads on only then.
     */
    @Override
    public Snapshot awaitAfter(long afterSeq, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (published) {
            if (afterSeq > takenSeq) {
                takenSeq = afterSeq;
                published.notifyAll();
            }
            while (true) {
                Snapshot s = latest.get();
                if (s != null && s.seq() > afterSeq) {
                    return s;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || failure != null || ended || !running) {
                    return null;
                }
                published.wait(left);
            }
        }
    }

    @Override
    public String label() {
        Snapshot s = latest.get(); // a trace's label grows as it is read (events, duration)
        return s != null && s.sourceLabel() != null ? s.sourceLabel() : label;
    }

    @Override
    public Set<String> availableSources() {
        return available;
    }

    @Override
    public void want(Set<String> sources) {
        wanted = Set.copyOf(sources);
    }

    @Override
    public void wantPackets(PacketSelection selection) {
        wantedPackets = selection == null ? PacketSelection.NONE : selection;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Stops the thread and waits until it has closed the feed (a live feed: every BPF attachment released). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
