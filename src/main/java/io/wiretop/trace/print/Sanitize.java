// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

/** libsinsp's {@code sanitize_string}: only printable ASCII (0x20..0x7e) survives, the rest is dropped. */
final class Sanitize {
    private Sanitize() {
    }

    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder(b.length);
        for (byte x : b) {
            if (DataText.printable(x & 0xff)) {
                s.append((char) x);
            }
        }
        return s.toString();
    }

    static String printable(String t) {
        return printable(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
