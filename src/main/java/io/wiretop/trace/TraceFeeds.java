// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import io.wiretop.engine.Feed;
import io.wiretop.trace.replay.ScapFeed;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a trace file as a {@link Feed}. This minimal version knows .scap captures only; the
 * dispatch on the file's magic (pcap, pcapng) is the engine branch's, to be merged with it.
 */
public final class TraceFeeds {
    private TraceFeeds() {
    }

    /**
     * A feed replaying the file.
     *
     * @param intervalNanos trace time per interval; 0 = one interval of the whole file
     */
    public static Feed open(Path file, long intervalNanos) throws IOException {
        return ScapFeed.open(file, intervalNanos);
    }
}
