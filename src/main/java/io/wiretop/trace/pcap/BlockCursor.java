// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.trace.CaptureFileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the fields of one record or block body in order; a field that runs past the end is a
 * {@link CaptureFileException} at the block's offset rather than a buffer exception.
 */
final class BlockCursor {
    private final ByteBuffer b;
    private final long at;
    private final String name;

    BlockCursor(byte[] body, int length, ByteOrder order, long at, String name) {
        this.b = ByteBuffer.wrap(body, 0, length).order(order);
        this.at = at;
        this.name = name;
    }

    long at() {
        return at;
    }

    String name() {
        return name;
    }

    ByteOrder order() {
        return b.order();
    }

    int remaining() {
        return b.remaining();
    }

    int u16(String field) throws CaptureFileException {
        need(2, field);
        return b.getShort() & 0xffff;
    }

    long u32(String field) throws CaptureFileException {
        need(4, field);
        return b.getInt() & 0xffffffffL;
    }

    long u64(String field) throws CaptureFileException {
        need(8, field);
        return b.getLong();
    }

    byte[] bytes(int n, String field) throws CaptureFileException {
        need(n, field);
        byte[] r = new byte[n];
        b.get(r);
        return r;
    }

    void skip(int n, String field) throws CaptureFileException {
        need(n, field);
        b.position(b.position() + n);
    }

    /** An error about this block, at its offset. */
    CaptureFileException error(String what) {
        return new CaptureFileException(at, name + ": " + what);
    }

    private void need(long n, String field) throws CaptureFileException {
        if (n > b.remaining()) {
            throw error("too short for its " + field + " (" + n + " bytes needed, " + b.remaining() + " left)");
        }
    }
}
