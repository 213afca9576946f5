// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.text.SafeText;
import io.wiretop.trace.scap.ScapEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The Echo window's text (csysdig's "I/O activity"): for each read- or write-class exit with a
 * positive result, a separator {@code ------ Read 832B from <fd name> (<comm>)} (or
 * {@code ------ Write 78B to ...}), a blank line, then the captured buffer (the file's, cut at the
 * snap length) in one of three {@link Mode}s. The byte count is the syscall's result, which may be
 * more than the buffer holds. No control character of the buffer ever reaches the text: every mode
 * shows only printable ASCII, and names are escaped with {@link SafeText}. Stateless.
 */
public final class EchoText {
    /** How the buffer is shown; F2 cycles through them in this order. */
    public enum Mode {
        /** Printable characters and line breaks only, as csysdig's default. */
        PRINTABLE("Printable ASCII"),
        /** Every byte one character, '.' for what is not printable (sysdig's {@code data=}). */
        DOTTED("Dotted ASCII"),
        /** Offset, 16 bytes in hex, their dotted ASCII (sysdig's {@code -X}). */
        HEX("Hex");

        public final String label;

        Mode(String label) {
            this.label = label;
        }

        public Mode next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    /** One line of the window: a separator (read or write) or data. */
    public record Line(Kind kind, String text) {
    }

    /** Separators are coloured by direction as csysdig does (read red, write cyan). */
    public enum Kind { READ, WRITE, DATA }

    private EchoText() {
    }

    /** Whether Echo shows this event: a read/write-class exit whose result is positive. */
    public static boolean shows(WindowEvent w) {
        ScapEvent e = w.event();
        if (e.enter()) {
            return false;
        }
        String cat = e.info().category();
        return (cat.equals("EC_IO_READ") || cat.equals("EC_IO_WRITE")) && e.asLong(0, -1) > 0;
    }

    /** The event's lines (none when Echo does not show it); data lines are cut to {@code width}. */
    public static List<Line> lines(WindowEvent w, Mode mode, int width) {
        List<Line> out = new ArrayList<>();
        if (!shows(w)) {
            return out;
        }
        ScapEvent e = w.event();
        boolean read = e.info().category().equals("EC_IO_READ");
        long res = e.asLong(0, -1);
        String name = w.fdName().isEmpty() ? "fd " + w.fd() : w.fdName();
        out.add(new Line(read ? Kind.READ : Kind.WRITE, "------ " + (read ? "Read " : "Write ") + res + "B "
                + (read ? "from " : "to ") + SafeText.escape(name) + " (" + SafeText.escape(w.comm()) + ")"));
        out.add(new Line(Kind.DATA, ""));
        byte[] data = e.asBytes(e.paramIndex("data"));
        for (String s : data(data, mode)) {
            wrap(out, s, Math.max(16, width));
        }
        out.add(new Line(Kind.DATA, ""));
        return out;
    }

    /** The buffer as logical lines, before wrapping. */
    static List<String> data(byte[] b, Mode mode) {
        List<String> out = new ArrayList<>();
        switch (mode) {
            case PRINTABLE -> {
                StringBuilder s = new StringBuilder();
                for (byte x : b) {
                    int c = x & 0xff;
                    if (c == '\n') {
                        out.add(s.toString());
                        s.setLength(0);
                    } else if (c == '\t') {
                        s.append("    ");
                    } else if (c >= 0x20 && c < 0x7f) {
                        s.append((char) c);
                    }
                }
                if (s.length() > 0) {
                    out.add(s.toString());
                }
            }
            case DOTTED -> {
                StringBuilder s = new StringBuilder(b.length);
                for (byte x : b) {
                    s.append(dot(x));
                }
                out.add(s.toString());
            }
            case HEX -> {
                for (int at = 0; at < b.length; at += 16) {
                    StringBuilder hex = new StringBuilder();
                    StringBuilder asc = new StringBuilder();
                    for (int i = at; i < Math.min(b.length, at + 16); i++) {
                        if ((i - at) % 2 == 0 && i > at) {
                            hex.append(' ');
                        }
                        hex.append(String.format("%02x", b[i] & 0xff));
                        asc.append(dot(b[i]));
                    }
                    out.add(String.format("0x%04x: %-39s  %s", at, hex, asc));
                }
            }
        }
        return out;
    }

    /** sysdig's rendering of a byte in ASCII: itself when printable, else a dot. */
    static char dot(byte x) {
        int c = x & 0xff;
        return c >= 0x20 && c < 0x7f ? (char) c : '.';
    }

    private static void wrap(List<Line> out, String s, int width) {
        if (s.isEmpty()) {
            out.add(new Line(Kind.DATA, ""));
            return;
        }
        for (int at = 0; at < s.length(); at += width) {
            out.add(new Line(Kind.DATA, s.substring(at, Math.min(s.length(), at + width))));
        }
    }
}
