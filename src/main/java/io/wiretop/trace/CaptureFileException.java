// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import java.io.IOException;

/**
 * A capture file that cannot be read further: damaged, cut short or not a capture at all. The
 * message is {@code offset N: reason}, N being the byte offset of the record or block at fault,
 * so that {@code wiretop: FILE: offset N: reason} is one line that says where to look.
 */
public final class CaptureFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String reason;

    public CaptureFileException(long offset, String reason) {
        this(offset, "", reason);
    }

    /**
     * @param offsetOf what the offset counts in, e.g. {@code "of the gunzipped data"} for a compressed
     *                 file, whose damage is found in the bytes the decompressor delivers; empty for the file itself
     */
    public CaptureFileException(long offset, String offsetOf, String reason) {
        super("offset " + offset + (offsetOf.isEmpty() ? "" : " " + offsetOf) + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Byte offset of the record, block or header at fault (in the decompressed data for a gzip file, as the message says). */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
