// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

/**
 * A data buffer (the {@code data} of a read or write) the three ways sysdig prints it, for Echo's
 * three modes. These are libsinsp's {@code binary_buffer_to_string_dots} (default),
 * {@code binary_buffer_to_asciionly_string} ({@code -A}) and {@code binary_buffer_to_hex_string}
 * with ASCII ({@code -X}). "Printable" is C's {@code isprint} in the C locale (0x20..0x7e), so no
 * control or non-ASCII byte ever reaches the screen from here.
 */
public final class DataText {
    private DataText() {
    }

    static boolean printable(int b) {
        return b >= 0x20 && b < 0x7f;
    }

    /** sysdig's default: every byte one character, non-printables as '.'. */
    public static String dotted(byte[] data) {
        StringBuilder s = new StringBuilder(data.length);
        for (byte b : data) {
            s.append(printable(b & 0xff) ? (char) b : '.');
        }
        return s.toString();
    }

    /**
     * sysdig {@code -A}: printable bytes kept, CR shown as a line break, LF kept unless it follows
     * a CR (so CRLF is one break), everything else dropped. Like sysdig it starts with a line
     * break (the data begins on its own line), except for an empty buffer.
     */
    public static String ascii(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(data.length + 1).append('\n');
        for (int j = 0; j < data.length; j++) {
            int b = data[j] & 0xff;
            if (printable(b)) {
                s.append((char) b);
            } else if (b == '\r') {
                s.append('\n');
            } else if (b == '\n' && j > 0 && data[j - 1] != '\r') {
                s.append('\n');
            }
        }
        return s.toString();
    }

    /**
     * sysdig {@code -X}: rows of 16 bytes, each {@code \n\t0x0010:} then eight big-endian 16-bit
     * groups in lower-case hex (a lone last byte as two digits), padded to eight groups, two spaces
     * and the row's bytes dotted; a final line break. Empty for an empty buffer.
     */
    public static String hex(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(data.length * 5);
        for (int j = 0; j < data.length; j += 16) {
            s.append(String.format("\n\t0x%04x:", j));
            int chunks = 0;
            for (int p = j; chunks < 8 && p < data.length; p += 2, chunks++) {
                if (p == data.length - 1) {
                    s.append(String.format(" %02x", data[p] & 0xff));
                } else {
                    s.append(String.format(" %02x%02x", data[p] & 0xff, data[p + 1] & 0xff));
                }
            }
            s.append("     ".repeat(8 - chunks)).append("  ");
            for (int p = j; p < j + 16 && p < data.length; p++) {
                s.append(printable(data[p] & 0xff) ? (char) data[p] : '.');
            }
        }
        return s.append('\n').toString();
    }
}
