// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The latency distribution of a selection's syscalls (enter to exit of each thread), one row per
 * interval: csysdig's spectrogram. The x axis is log10 of the latency from 1 ns to 10 s and more
 * ({@code column = log10(latency) * width / 11 + 1}, csysdig's {@code evt.latency.quantized}); each
 * cell counts the exits whose latency falls in it. Counts are kept at 1/100 of a decade, so the same
 * data draws at any width. Intervals are those of the events' own timestamps, so a replayed file
 * shows its own timeline. Not thread-safe (UI thread).
 */
public final class Spectrogram {
    /** Fine buckets per decade. */
    static final int FINE = 100;
    /** 1 ns .. 10^11 ns: csysdig's 11 decades. */
    static final int DECADES = 11;
    /** Rows drawn with the quiet intervals between them at most. */
    static final int MAX_ROWS = 100_000;
    private final long intervalNanos;
    private final TreeMap<Long, int[]> rows = new TreeMap<>();

    public Spectrogram(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Counts an exit with a known latency; other events are ignored. */
    public void add(WindowEvent w) {
        if (w.isPacket() || w.event().enter() || w.latency() < 0) {
            return;
        }
        long slot = Math.floorDiv(w.event().timestamp(), intervalNanos);
        rows.computeIfAbsent(slot, k -> new int[FINE * DECADES])[fine(w.latency())]++;
    }

    static int fine(long latencyNanos) {
        double l = Math.log10(Math.max(1, latencyNanos));
        return (int) Math.min(FINE * DECADES - 1, Math.floor(l * FINE));
    }

    /**
     * Interval start times (ns since the epoch), oldest first, from the first interval with an event
     * to the last, the quiet ones included (time runs down the screen evenly); past
     * {@link #MAX_ROWS} intervals only those with events.
     */
    public List<Long> intervals() {
        List<Long> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        long first = rows.firstKey(), last = rows.lastKey();
        if (last - first < MAX_ROWS) {
            for (long slot = first; slot <= last; slot++) {
                out.add(slot * intervalNanos);
            }
        } else {
            for (long slot : rows.keySet()) {
                out.add(slot * intervalNanos);
            }
        }
        return out;
    }

    /** The counts of one interval drawn at {@code width} columns (csysdig's quantization). */
    public int[] row(long intervalStart, int width) {
        int[] fine = rows.get(Math.floorDiv(intervalStart, intervalNanos));
        int[] out = new int[width];
        if (fine == null) {
            return out;
        }
        for (int i = 0; i < fine.length; i++) {
            if (fine[i] > 0) {
                out[column(i / (double) FINE, width)] += fine[i];
            }
        }
        return out;
    }

    /** csysdig's column of a log10 latency, clamped to the screen. */
    static int column(double log10, int width) {
        int c = (int) (log10 * width / DECADES + 1);
        return Math.max(0, Math.min(width - 1, c));
    }

    /** The column where 10^decade ns starts at {@code width} (the legend's ticks). */
    public static int tick(int decade, int width) {
        return column(decade, width);
    }

    /**
     * The colour level of a count: csysdig's ({@code cursesspectro.cpp mkcol}: log10(count*2+1)/log10(1.6),
     * which is 2 for one event) less one, so one event is level 1; 0 for no count, capped at
     * {@code levels - 1} (with 10 levels, from 34 events a cell).
     */
    public static int level(int count, int levels) {
        if (count <= 0) {
            return 0;
        }
        int l = (int) (Math.log10(count * 2.0 + 1) / Math.log10(1.6)) - 1;
        return Math.max(1, Math.min(levels - 1, l));
    }

    /** Forgets every interval (the window's clear). */
    public void clear() {
        rows.clear();
    }
}
