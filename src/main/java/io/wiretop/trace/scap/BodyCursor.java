// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the fields of one metadata block body in order (little-endian); a field that runs past the
 * body, or a string longer than libscap accepts, is an error at the block's offset.
 */
final class BodyCursor {
    /** libscap's limits on state-block strings: paths and names, and NUL-separated lists (args, env, cgroups). */
    static final int MAX_PATH = 1024;
    static final int MAX_ARGS = 4096;

    private final ScapInput in;
    private final byte[] a;
    private final int end;
    private final String name;
    private int p;

    BodyCursor(ScapInput in, String name) {
        this.in = in;
        this.a = in.body();
        this.p = in.bodyStart();
        this.end = p + in.bodyLength();
        this.name = name;
    }

    int remaining() {
        return end - p;
    }

    int position() {
        return p;
    }

    void seek(int position) {
        p = position;
    }

    int u8(String field) throws CaptureFileException {
        need(1, field);
        return a[p++] & 0xff;
    }

    int u16(String field) throws CaptureFileException {
        need(2, field);
        int v = Le.u16(a, p);
        p += 2;
        return v;
    }

    long u32(String field) throws CaptureFileException {
        need(4, field);
        long v = Le.u32(a, p);
        p += 4;
        return v;
    }

    long i64(String field) throws CaptureFileException {
        need(8, field);
        long v = Le.i64(a, p);
        p += 8;
        return v;
    }

    byte[] bytes(int n, String field) throws CaptureFileException {
        need(n, field);
        byte[] r = Arrays.copyOfRange(a, p, p + n);
        p += n;
        return r;
    }

    void skip(int n, String field) throws CaptureFileException {
        need(n, field);
        p += n;
    }

    /** A {@code u16 length} + bytes string (no NUL on disk), refused above {@code max} bytes as libscap does. */
    String str(String field, int max) throws CaptureFileException {
        int n = u16(field + " length");
        if (n > max) {
            throw error(field + " length " + n + " exceeds " + max);
        }
        return new String(bytes(n, field), StandardCharsets.UTF_8);
    }

    /** A {@code u16 length} + NUL-separated strings (args, env, cgroups). */
    List<String> strings(String field, int max) throws CaptureFileException {
        int n = u16(field + " length");
        if (n > max) {
            throw error(field + " length " + n + " exceeds " + max);
        }
        need(n, field);
        List<String> r = nulSeparated(a, p, n);
        p += n;
        return r;
    }

    static List<String> nulSeparated(byte[] a, int from, int n) {
        List<String> r = new ArrayList<>();
        int s = from;
        for (int i = from; i < from + n; i++) {
            if (a[i] == 0) {
                r.add(new String(a, s, i - s, StandardCharsets.UTF_8));
                s = i + 1;
            }
        }
        if (s < from + n) {
            r.add(new String(a, s, from + n - s, StandardCharsets.UTF_8));
        }
        return List.copyOf(r);
    }

    CaptureFileException error(String what) {
        return in.error(in.at(), name + ": " + what);
    }

    private void need(int n, String field) throws CaptureFileException {
        if (n > end - p) {
            throw error("too short for its " + field + " (" + n + " bytes needed, " + (end - p) + " left)");
        }
    }
}
