// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

/**
 * When a recording moves to its next file or ends, as sysdig's {@code -w} options say; 0 means
 * "no such limit".
 *
 * @param rotateSeconds  -G: a new file when an event comes this many seconds (event time) after the file's first
 * @param rotateBytes    -C: a new file once the file holds more than this many bytes
 * @param eventsPerFile  -e: a new file after this many events
 * @param stopAfter      -n: the recording ends after this many events in all
 * @param fileCount      -W: at most this many files; the names are then reused from the first
 */
public record RecordLimits(long rotateSeconds, long rotateBytes, long eventsPerFile, long stopAfter, int fileCount) {
    /** No limit: one file until stopped. */
    public static final RecordLimits NONE = new RecordLimits(0, 0, 0, 0, 0);

    public RecordLimits {
        if (rotateSeconds < 0 || rotateBytes < 0 || eventsPerFile < 0 || stopAfter < 0 || fileCount < 0) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    /** Whether the recording is split over several files (their names then carry a number). */
    public boolean rotates() {
        return rotateSeconds > 0 || rotateBytes > 0 || eventsPerFile > 0;
    }
}
