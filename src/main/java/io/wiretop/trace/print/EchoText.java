// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.trace.scap.ScapEvent;

/**
 * csysdig's Echo window text for one event (csysdig-behaviour.md §8): which events it shows (an
 * exit of an event that reads from or writes to its fd, returning more than 0 bytes) and the
 * separator before the data, {@code ------ Read 832B from /etc/ld.so.cache (curl)} or
 * {@code ------ Write 78B to 127.0.0.1:40000->127.0.0.1:8080 (curl)}. The data itself is
 * {@link DataText} of {@link #data(ScapEvent)} in the window's mode.
 */
public final class EchoText {
    private EchoText() {
    }

    /** Whether Echo shows the event: a read- or write-class exit with res > 0. */
    public static boolean shown(ScapEvent e) {
        return !e.enter() && (isRead(e) || PrintTables.writesFd(e.type())) && e.asLong(0, 0) > 0;
    }

    /** A read-class event (red in csysdig); the others Echo shows are writes (cyan). */
    public static boolean isRead(ScapEvent e) {
        return PrintTables.readsFd(e.type());
    }

    /** The captured buffer (the snap-length-truncated data), empty when the event has none. */
    public static byte[] data(ScapEvent e) {
        int i = e.paramIndex("data");
        return i >= 0 ? e.asBytes(i) : new byte[0];
    }

    /**
     * The separator line: {@code ------ Read NB from NAME (COMM)} or {@code ------ Write NB to NAME (COMM)},
     * N being the event's res (bytes moved, which may exceed the captured data), NAME the fd's name
     * ({@link SysdigLine#eventFdName()}) and COMM the thread's ({@link SysdigLine#comm(long)}).
     */
    public static String separator(ScapEvent e, String fdName, String comm) {
        boolean read = isRead(e);
        return "------ " + (read ? "Read " : "Write ") + e.asLong(0, 0) + "B " + (read ? "from " : "to ") + fdName
                + " (" + comm + ")";
    }
}
