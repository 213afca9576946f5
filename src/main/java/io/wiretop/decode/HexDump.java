// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** Payload dumps as tcpdump prints them: -X (hex + ASCII) and -A (ASCII). Stateless. */
public final class HexDump {
    private HexDump() {
    }

    /** tcpdump -X: lines "\n\t0x0000:  4500 003c ...  E..<...", 16 bytes each, starting with a newline. */
    public static String hexAscii(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder();
        StringBuilder hex = new StringBuilder(), asc = new StringBuilder();
        int end = Math.min(b.length, off + len);
        int oset = 0;
        for (int i = off; i < end; i++) {
            if ((i - off) % 2 == 0) {
                hex.append(' ');
            }
            hex.append(String.format("%02x", b[i] & 0xff));
            asc.append(graph(b[i]) ? (char) b[i] : '.');
            if ((i - off) % 16 == 15 || i == end - 1) {
                out.append("\n\t").append(String.format("0x%04x: %-40s  %s", oset, hex, asc));
                oset += 16;
                hex.setLength(0);
                asc.setLength(0);
            }
        }
        return out.toString();
    }

    /** tcpdump -A: a newline, then the bytes with non-printables as '.', CR dropped before LF. */
    public static String ascii(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder("\n");
        int end = Math.min(b.length, off + len);
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xff;
            if (c == '\r') {
                if (i + 1 == end || b[i + 1] != '\n') {
                    out.append('.');
                }
            } else {
                out.append(graph(b[i]) || c == '\t' || c == ' ' || c == '\n' ? (char) c : '.');
            }
        }
        return out.toString();
    }

    private static boolean graph(byte b) {
        return b > 0x20 && b < 0x7f;
    }
}
