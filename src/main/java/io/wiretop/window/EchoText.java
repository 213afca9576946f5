// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.text.SafeText;
import io.wiretop.trace.print.DataText;

import java.util.ArrayList;
import java.util.List;

/**
 * The Echo window's lines (csysdig's "I/O activity") for the screen: the text itself is
 * {@link io.wiretop.trace.print.EchoText} (which events, the separator) and {@link DataText} (the
 * buffer in each mode); this adapter only cuts it into coloured screen lines of a width. A
 * separator is followed by a blank line, the data, a blank line. Names are escaped with
 * {@link SafeText}; the data modes show only printable ASCII. Stateless.
 */
public final class EchoText {
    /** How the buffer is shown; F2 cycles through them in this order. */
    public enum Mode {
        /** Printable characters and line breaks only, as csysdig's default (sysdig's {@code -A}). */
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
        return !w.isPacket() && io.wiretop.trace.print.EchoText.shown(w.event());
    }

    /** The event's lines (none when Echo does not show it); data lines are cut to {@code width}. */
    public static List<Line> lines(WindowEvent w, Mode mode, int width) {
        List<Line> out = new ArrayList<>();
        if (!shows(w)) {
            return out;
        }
        boolean read = io.wiretop.trace.print.EchoText.isRead(w.event());
        out.add(new Line(read ? Kind.READ : Kind.WRITE, SafeText.escape(
                io.wiretop.trace.print.EchoText.separator(w.event(), fdLabel(w), w.comm()))));
        out.add(new Line(Kind.DATA, ""));
        byte[] data = io.wiretop.trace.print.EchoText.data(w.event());
        for (String s : data(data, mode)) {
            wrap(out, s, Math.max(16, width));
        }
        out.add(new Line(Kind.DATA, ""));
        return out;
    }

    /** The buffer as logical lines, before wrapping: sysdig's text without its leading line break. */
    static List<String> data(byte[] b, Mode mode) {
        String text = switch (mode) {
            case PRINTABLE -> DataText.ascii(b);
            case DOTTED -> DataText.dotted(b);
            case HEX -> DataText.hex(b).replace("\t", ""); // sysdig indents rows with a tab: the screen starts them at 0
        };
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (mode != Mode.DOTTED && !out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0); // -A and -X start the data on a line of its own
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1); // and end it with a line break
        }
        return out;
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

    /** The fd's name, or "fd N" when sysdig has none for it (a stdout inherited before the capture). */
    private static String fdLabel(WindowEvent w) {
        return w.fdName().isEmpty() && w.fd() >= 0 ? "fd " + w.fd() : w.fdName();
    }
}
