// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.Cleanup;
import io.wiretop.model.InfoSource;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcStat;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A scripted {@link Feed} for tests of the engine and of what consumes it: each {@link #next}
 * returns the next scripted interval, throws the next scripted exception, or, once the script is
 * used up, returns null (the input ended) or waits until interrupted ({@link #blockAtEnd}).
 * Records what the engine asked of it and on which thread.
 */
public final class FakeFeed implements Feed {
    /** One second in the feed's clock. */
    public static final long SEC = 1_000_000_000L;
    private final Deque<Object> script = new ArrayDeque<>();
    private boolean blockAtEnd;
    private String label = "Fake Feed";
    private Map<String, List<? extends Row>> extra = Map.of();
    /** The Demand of each call of next, in order. */
    public final List<Demand> demands = new CopyOnWriteArrayList<>();
    /** The Cleanup of each call of apply, in order. */
    public final List<Cleanup> cleanups = new CopyOnWriteArrayList<>();
    /** The threads that called start, next, apply or close. */
    public final Set<String> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Counted down by close. */
    public final CountDownLatch closed = new CountDownLatch(1);
    private volatile int closes;
    private long clock;
    /** What {@link #follow} was given (null: never called). */
    public volatile java.util.function.Supplier<Demand> followed;

    /** Adds an interval ending one second after the previous one (the first starts at 0). */
    public FakeFeed interval(List<ProcEvent> events, List<ProcEvent> late, ProcessScan scan) {
        clock += SEC;
        script.add(new Interval(events, clock, emptySample(), late, scan, List.of()));
        return this;
    }

    /** Adds an interval listing these processes whose FILE/WIRE counters are collected as said. */
    public FakeFeed interval(Interval.Collectors collectors, ProcessId... alive) {
        clock += SEC;
        script.add(new Interval(List.of(), clock, emptySample(), List.of(), scan(alive), List.of(), collectors));
        return this;
    }

    /** Adds an interval without events or processes. */
    public FakeFeed interval() {
        return interval(List.of(), List.of(), scan());
    }

    /** Makes the next call of next throw this. */
    public FakeFeed failWith(Exception e) {
        script.add(e);
        return this;
    }

    /** Once the script is used up, next waits until interrupted instead of returning null. */
    public FakeFeed blockAtEnd() {
        blockAtEnd = true;
        return this;
    }

    public FakeFeed label(String l) {
        label = l;
        return this;
    }

    public FakeFeed extra(Map<String, List<? extends Row>> sources) {
        extra = sources;
        return this;
    }

    /** How many times close was called. */
    public int closes() {
        return closes;
    }

    /** A /proc scan listing these processes. */
    public static ProcessScan scan(ProcessId... ids) {
        Map<ProcessId, ProcStat> m = new HashMap<>();
        for (ProcessId id : ids) {
            m.put(id, new ProcStat(id.pid(), "p" + id.pid(), 1, 0, 1, id.startTicks(), 1000, 10));
        }
        return new ProcessScan(m, null, Set.of());
    }

    /** An exec of a process named as the scans name it ("p" + pid), with this command line. */
    public static ProcEvent exec(ProcessId id, String args) {
        return new ProcEvent(ProcEvent.EXEC, id.pid(), 1, 0, id.startTicks(), 0, 0, "p" + id.pid(), args);
    }

    public static ProcEvent exit(ProcessId id, String comm) {
        return new ProcEvent(ProcEvent.EXIT, id.pid(), 1, 0, id.startTicks(), 0, 0, comm, "");
    }

    private static KernelSample emptySample() {
        return new KernelSample(List.of(), List.of(), List.of(), Losses.NONE);
    }

    @Override
    public InfoSource info() {
        return new InfoSource() {
            @Override
            public ProcessInfo read(ProcessId id) {
                return null; // nothing in /proc: names come from the events
            }

            @Override
            public String userName(long uid) {
                return "u" + uid;
            }

            @Override
            public String fdTarget(long pid, int fd) {
                return null;
            }
        };
    }

    @Override
    public boolean fileIo() {
        return true;
    }

    @Override
    public boolean wire() {
        return true;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Set<String> availableSources() {
        return Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS);
    }

    @Override
    public void follow(java.util.function.Supplier<Demand> current) {
        callers.add(Thread.currentThread().getName());
        followed = current;
    }

    @Override
    public FeedStart start() {
        callers.add(Thread.currentThread().getName());
        return new FeedStart(null, 0, null, scan(), SEC);
    }

    @Override
    public Interval next(Demand demand) throws Exception {
        callers.add(Thread.currentThread().getName());
        demands.add(demand);
        Object o = script.poll();
        if (o instanceof Exception e) {
            throw e;
        }
        if (o == null && blockAtEnd) {
            new CountDownLatch(1).await(); // until interrupted
        }
        return (Interval) o;
    }

    @Override
    public void apply(Cleanup cleanup) {
        callers.add(Thread.currentThread().getName());
        cleanups.add(cleanup);
    }

    @Override
    public Map<String, List<? extends Row>> extraSources() {
        return extra;
    }

    @Override
    public void close() {
        callers.add(Thread.currentThread().getName());
        closes++;
        closed.countDown();
    }
}
