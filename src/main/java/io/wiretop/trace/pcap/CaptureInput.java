// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.trace.CaptureFileException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a capture file with the offset of the next one, so that every error can say where
 * the damage is. A short read is an error naming what was cut short; only a read that finds the
 * file's end exactly at a record boundary is a clean end.
 */
final class CaptureInput implements Closeable {
    private final InputStream in;
    private long offset;

    CaptureInput(InputStream stream) {
        in = new BufferedInputStream(stream, 1 << 16);
    }

    /** Offset of the next byte to be read. */
    long offset() {
        return offset;
    }

    /**
     * Exactly {@code n} bytes, or null when the file ends before the first of them (a clean end).
     *
     * @param what what is being read, for the message when the file ends inside it
     * @param at   offset of the record or block it belongs to, for the message
     */
    byte[] readOrEnd(int n, String what, long at) throws IOException {
        byte[] b = in.readNBytes(n);
        offset += b.length;
        if (b.length == 0 && n > 0) {
            return null;
        }
        return complete(b, n, what, at);
    }

    /** Exactly {@code n} bytes; the file ending first is an error (see {@link #readOrEnd}). */
    byte[] read(int n, String what, long at) throws IOException {
        // readNBytes grows its buffer as data arrives: a forged length costs no up-front allocation
        byte[] b = in.readNBytes(n);
        offset += b.length;
        return complete(b, n, what, at);
    }

    private static byte[] complete(byte[] b, int n, String what, long at) throws CaptureFileException {
        if (b.length < n) {
            throw new CaptureFileException(at, what + " cut short: " + n + " bytes needed, "
                    + (b.length == 0 ? "the file ends there" : "the file ends after " + b.length));
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
