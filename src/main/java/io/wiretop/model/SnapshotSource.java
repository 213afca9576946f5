// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/**
 * Where the UI and the printers get snapshots from: the live engine or a replayed file.
 * Implementations publish from their own thread; {@link #latest()} never blocks.
 */
public interface SnapshotSource extends AutoCloseable {
    /** The newest complete snapshot, or null before the first interval ends. */
    Snapshot latest();

    /** Waits up to timeoutMillis for a snapshot newer than {@code afterSeq}; returns it or null. */
    Snapshot awaitAfter(long afterSeq, long timeoutMillis) throws InterruptedException;

    /** "Live System" or a file description. */
    String label();

    /** Which sources this source can fill (a view over another shows "No Data For This View"). */
    java.util.Set<String> availableSources();

    /**
     * Tells the source which data sources the screen shows now, so that costly ones (threads) are
     * collected only while needed. The default ignores it.
     */
    default void want(java.util.Set<String> sources) {
    }

    /**
     * Tells the source which packets the screen shows now (a Packets view at some drill-down
     * level); the live source then lets exactly those leave the kernel. The default ignores it.
     */
    default void wantPackets(PacketSelection selection) {
    }

    /**
     * True once the input has ended (the end of a replayed file): {@link #latest()} is then the
     * last snapshot there will be, and {@link #awaitAfter} returns null at once.
     */
    default boolean ended() {
        return false;
    }

    /** Why the source stopped producing snapshots, or null while it is healthy. */
    default Throwable failure() {
        return null;
    }

    @Override
    void close();
}
