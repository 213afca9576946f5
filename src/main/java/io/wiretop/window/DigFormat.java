// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.text.SafeText;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapSocket;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The Dig window's line for one event, in the shape of sysdig's default format
 * {@code %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args}.
 * <p>A minimal stand-in: the exact sysdig argument rendering (flags names, errno names, fd type
 * tags, relative paths...) is being written as its own formatter; this class is the one place that
 * will delegate to it ({@link #line} keeps its shape: an event and its state in, a line out).
 * Here integers are printed in decimal, buffers dotted and cut at 80 bytes as sysdig does, fds
 * with their name in parentheses. The line is escaped with {@link SafeText}.
 */
public final class DigFormat {
    private static final int BUFFER_CHARS = 80;
    private final ZoneId zone;

    /** Times in the zone sysdig would use (the local one). */
    public DigFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** One event as one line. */
    public String line(ScapEvent e, WindowEvent state) {
        long ts = e.timestamp();
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L), Math.floorMod(ts, 1_000_000_000L))
                .atZone(zone);
        StringBuilder b = new StringBuilder();
        b.append(state.num()).append(' ')
                .append(String.format("%02d:%02d:%02d.%09d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano()))
                .append(' ').append(e.cpu()).append(' ').append(state.comm()).append(" (").append(e.tid()).append(") ")
                .append(e.enter() ? '>' : '<').append(' ').append(e.name());
        int n = Math.min(e.paramCount(), e.info().paramCount());
        for (int i = 0; i < n; i++) {
            b.append(' ').append(e.info().paramNames().get(i)).append('=').append(value(e, i, state));
        }
        return SafeText.escape(b.toString());
    }

    private static String value(ScapEvent e, int i, WindowEvent state) {
        ParamType t = e.paramType(i);
        if (!e.has(i)) {
            return "";
        }
        return switch (t) {
            case CHARBUF, FSPATH, FSRELPATH -> e.asString(i);
            case BYTEBUF -> {
                byte[] d = e.asBytes(i);
                StringBuilder s = new StringBuilder();
                for (int k = 0; k < Math.min(d.length, BUFFER_CHARS); k++) {
                    s.append(EchoText.dot(d[k]));
                }
                yield s.toString();
            }
            case CHARBUFARRAY, CHARBUF_PAIR_ARRAY -> String.join(".", e.asStrings(i)) + ".";
            case SOCKTUPLE -> {
                ScapSocket s = e.asTuple(i);
                yield s == null ? "NULL" : s.text();
            }
            case SOCKADDR -> {
                ScapSocket s = e.asAddress(i);
                yield s == null ? "NULL" : s.text();
            }
            case FD -> {
                long fd = e.asLong(i, -1);
                yield fd == state.fd() && !state.fdName().isEmpty() ? fd + "(" + state.fdName() + ")" : Long.toString(fd);
            }
            default -> Long.toString(e.asLong(i, 0));
        };
    }
}
