// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.List;

/**
 * Where an open event window gets its selection's events: a thread of its own (reading a capture
 * again, or a kernel stream opened for the selection) hands over immutable batches, which the UI
 * thread takes with {@link #drain()}. Closing it stops the thread and releases what it holds.
 */
public interface EventWindowSource extends AutoCloseable {
    /** The batches delivered since the last call, oldest first (empty when none); UI thread. */
    List<List<WindowEvent>> drain();

    /** Whether every event there will be has been delivered (a capture read to its end). */
    boolean finished();

    /** Why the source stopped early (a damaged capture...), one line of untrusted text, or null. */
    String failure();

    /**
     * Whether a connection's packets come from the live capture rather than from this source: then
     * the window asks the engine for the connection's packets (its socket cookie selected in the
     * kernel, as a Packets view does) and puts them on its timeline. A replay's source has them
     * itself (a packet file) or has none (a .scap).
     */
    default boolean packetsFromCapture() {
        return false;
    }

    /** Stops the thread and releases the source; idempotent. */
    @Override
    void close();

    /**
     * Opens a source for a selection: the replay's reads the file again, the live one attaches the
     * stream (its sys_enter hook only when {@code enters}: the window needs the enter events at their
     * own times); Dig's times in the zone.
     */
    @FunctionalInterface
    interface Opener {
        EventWindowSource open(WindowSelection selection, boolean enters, java.time.ZoneId zone) throws Exception;
    }
}
