// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

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
        super("offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Byte offset in the file of the record, block or header at fault. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
