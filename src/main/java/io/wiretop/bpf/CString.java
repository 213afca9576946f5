// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The kernel's fixed-size, NUL-padded strings (task comm, paths) as Java strings. */
public final class CString {
    private CString() {
    }

    /** The UTF-8 text of {@code b[off..off+max)} up to its first NUL. */
    public static String decode(ByteBuffer b, int off, int max) {
        int n = 0;
        while (n < max && b.get(off + n) != 0) {
            n++;
        }
        byte[] s = new byte[n];
        b.get(off, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
