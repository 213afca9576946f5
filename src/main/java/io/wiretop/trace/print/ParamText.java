// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.trace.scap.EventTable;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEvent;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * One parameter as libsinsp's {@code sinsp_evt::get_param_as_str} renders it for sysdig's default
 * output: a value and a resolved text (shown in parentheses when not empty). Numbers follow the
 * event table's print format (decimal printed signed at 32 and 64 bits, as libsinsp's {@code %d}
 * does, hex upper-case, octal with a leading 0); the types libsinsp's switch does not handle print
 * "(n.a.)", as there.
 */
final class ParamText {
    /** sysdig's {@code m_max_evt_output_len}: a longer data buffer is cut to 80 characters ending in "...". */
    static final int MAX_BUFFER = 80;
    private static final long AT_FDCWD = -100;

    /** A rendered parameter. */
    record Text(String value, String resolved) {
        /** {@code name=value(resolved) }, as evt.args joins them. */
        void appendTo(StringBuilder s, String name) {
            s.append(name).append('=').append(value);
            if (!resolved.isEmpty()) {
                s.append('(').append(resolved).append(')');
            }
            s.append(' ');
        }
    }

    private final SysdigState state;
    private final SysdigLine.Buffers buffers;

    ParamText(SysdigState state, SysdigLine.Buffers buffers) {
        this.state = state;
        this.buffers = buffers;
    }

    Text render(ScapEvent e, SysdigState.Thread t, int i) {
        ParamType type = e.paramType(i);
        int id = e.type();
        byte[] raw = e.asBytes(i);
        int len = raw.length;
        if (type == null) {
            return new Text("(n.a.)", "");
        }
        return switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 ->
                    new Text(number(type, e.asLong(i, 0), len, PrintTables.format(id, i)), "");
            case FD -> fd(t, e.asLong(i, 0));
            case PID -> {
                long pid = e.asLong(i, 0);
                String comm = state.comm(pid);
                yield new Text(Long.toString(pid), comm == null ? "" : comm);
            }
            case ERRNO -> {
                long v = e.asLong(i, 0);
                String name = v < 0 ? PrintTables.errno(v) : null;
                yield new Text(Long.toString(v), name == null ? "" : name);
            }
            case CHARBUF -> new Text(e.asString(i), "");
            case FSPATH, FSRELPATH -> {
                String path = Sanitize.printable(SockText.cString(raw, 0));
                boolean relative = len > 0 && raw[0] != '/' && !path.startsWith("<NA>");
                yield new Text(path, relative ? Paths.join(t.cwd, path) : "");
            }
            case BYTEBUF -> new Text(bytes(raw), "");
            case SOCKADDR -> new Text(SockText.address(raw), "");
            case SOCKTUPLE -> new Text(SockText.tuple(raw), "");
            case FDLIST -> new Text(fdList(t, raw), "");
            case SYSCALLID -> {
                int sc = (int) e.asLong(i, 0) & 0xffff;
                String name = EventTable.syscallName(sc);
                yield new Text(Integer.toString(sc), name == null ? "" : name);
            }
            case SIGTYPE -> {
                int sig = (int) e.asLong(i, 0) & 0xff;
                String name = PrintTables.signal(sig);
                yield new Text(Integer.toString(sig), name == null ? "" : name);
            }
            case RELTIME -> {
                long v = e.asLong(i, 0);
                yield v == -1 ? new Text("none", "") : new Text(Long.toUnsignedString(v), seconds(v) + "s");
            }
            case FLAGS8, FLAGS16, FLAGS32 -> {
                long v = e.asLong(i, 0) & 0xffffffffL;
                yield new Text(Long.toString(v), flags(PrintTables.flags(id, i), v));
            }
            case MODE -> {
                long v = e.asLong(i, 0) & 0xffffffffL;
                yield new Text(number(ParamType.UINT32, v, 4, PrintTables.format(id, i)),
                        flags(PrintTables.flags(id, i), v));
            }
            case UID, GID -> {
                long v = e.asLong(i, 0) & 0xffffffffL;
                String name = state.user(v, type == ParamType.GID);
                yield v == 0xffffffffL ? new Text("-1", "<NONE>")
                        : new Text(Integer.toString((int) v), name == null ? "<NA>" : Sanitize.printable(name));
            }
            case SIGSET -> new Text(sigset(e.asLong(i, 0)), "");
            case DYN -> dynamic(t, raw, PrintTables.dynamic(id, i), PrintTables.format(id, i));
            case ABSTIME -> new Text("INVALID DYNAMIC PARAMETER", ""); // falls into PT_DYN's case in libsinsp
            default -> new Text("(n.a.)", "");
        };
    }

    /**
     * A PT_DYN parameter: its first byte selects the type of the rest from the event's dynamic
     * table; printed in the parameter's own print format. An index out of the table (or no value)
     * is libsinsp's "INVALID DYNAMIC PARAMETER".
     */
    private Text dynamic(SysdigState.Thread t, byte[] raw, List<ParamType> table, PrintTables.Format f) {
        if (raw.length == 0 || (raw[0] & 0xff) >= table.size()) {
            return new Text("INVALID DYNAMIC PARAMETER", "");
        }
        byte[] v = java.util.Arrays.copyOfRange(raw, 1, raw.length);
        long n = SockText.i64(java.util.Arrays.copyOf(v, 8), 0);
        return switch (table.get(raw[0] & 0xff)) {
            case BYTEBUF -> new Text(bytes(v), "");
            case ERRNO -> {
                String name = n < 0 ? PrintTables.errno(n) : null;
                yield new Text(Long.toString(n), name == null ? "" : name);
            }
            case UINT32 -> new Text(number(ParamType.UINT32, n, 4, f), "");
            case UINT64 -> new Text(number(ParamType.UINT64, n, 8, f), "");
            case RELTIME -> n == -1 ? new Text("none", "") : new Text(Long.toUnsignedString(n), seconds(n) + "s");
            case SIGTYPE -> {
                String name = PrintTables.signal((int) n & 0xff);
                yield new Text(Integer.toString((int) n & 0xff), name == null ? "" : name);
            }
            case FD -> fd(t, n);
            default -> new Text("(n.a.)", "");
        };
    }

    private String bytes(byte[] raw) {
        return switch (buffers) {
            case DOTTED -> buffer(raw);
            case ASCII -> DataText.ascii(raw);
            case HEX -> DataText.hex(raw);
        };
    }

    /** An integer in libsinsp's printf format for its type and print format. */
    static String number(ParamType type, long v, int len, PrintTables.Format f) {
        int bits = len == 1 || len == 2 || len == 4 ? len * 8 : 64;
        long unsigned = bits == 64 ? v : v & ((1L << bits) - 1);
        boolean signedType = type == ParamType.INT8 || type == ParamType.INT16 || type == ParamType.INT32
                || type == ParamType.INT64;
        return switch (f) {
            // %X and %#o of a value promoted to int (8/16-bit signed types sign-extend to 32 bits)
            case HEX -> Long.toHexString(promoted(v, bits, signedType)).toUpperCase();
            case OCT -> {
                long p = promoted(v, bits, signedType);
                yield p == 0 ? "0" : "0" + Long.toOctalString(p);
            }
            default -> bits >= 32 ? Long.toString(bits == 32 ? (int) v : v)
                    : Long.toString(signedType ? (bits == 8 ? (byte) v : (short) v) : unsigned);
        };
    }

    private static long promoted(long v, int bits, boolean signedType) {
        if (bits == 64) {
            return v;
        }
        long s = bits == 8 ? (signedType ? (byte) v : v & 0xff) : bits == 16 ? (signedType ? (short) v : v & 0xffff)
                : (int) v;
        return s & 0xffffffffL;
    }

    private Text fd(SysdigState.Thread t, long fd) {
        String v = Long.toString(fd);
        if (fd >= 0) {
            SysdigState.Fd f = state.fd(t, fd);
            return new Text(v, f == null ? "" : f.text());
        }
        if (fd == AT_FDCWD) {
            return new Text(v, "AT_FDCWD");
        }
        String err = PrintTables.errno(fd);
        return new Text(v, err == null ? "" : err);
    }

    /** Dotted, cut to {@link #MAX_BUFFER} characters with "..." when longer. */
    static String buffer(byte[] raw) {
        String s = DataText.dotted(raw);
        return s.length() > MAX_BUFFER ? s.substring(0, MAX_BUFFER - 3) + "..." : s;
    }

    private String fdList(SysdigState.Thread t, byte[] raw) {
        if (raw.length < 2) {
            return "";
        }
        int n = SockText.u16(raw, 0);
        StringBuilder s = new StringBuilder();
        for (int j = 0, pos = 2; j < n && pos + 10 <= raw.length; j++, pos += 10) {
            long fd = SockText.i64(raw, pos);
            SysdigState.Fd f = state.fd(t, fd);
            int flags = (short) SockText.u16(raw, pos + 8);
            if (j > 0) {
                s.append(' ');
            }
            s.append(Long.toUnsignedString(fd)).append(':').append(f == null ? '?' : f.type)
                    .append(Integer.toHexString(flags));
        }
        return s.toString();
    }

    /**
     * libsinsp's flag resolution: walk the table in order up to an entry equal to the whole value;
     * each entry whose bits are all still set is named and its bits cleared (a zero entry only
     * names a zero value); the entry equal to the value, if reached, is named last.
     */
    static String flags(List<PrintTables.Flag> table, long value) {
        if (table == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        long val = value;
        int k = 0;
        for (; k < table.size() && table.get(k).value() != value; k++) {
            long f = table.get(k).value();
            if ((f == 0 && value == 0) || (f != 0 && (val & f) == f && val != 0)) {
                s.append(s.length() > 0 ? "|" : "").append(table.get(k).name());
                val &= ~f;
            }
        }
        if (k < table.size()) {
            s.append(s.length() > 0 ? "|" : "").append(table.get(k).name());
        }
        return s.toString();
    }

    /** C's {@code %lg}: six significant digits, trailing zeros dropped, exponent form outside 1e-4..1e6. */
    static String seconds(long nanos) {
        double d = Long.compareUnsigned(nanos, Long.MAX_VALUE) > 0 ? (double) (nanos >>> 1) * 2 / 1e9 : nanos / 1e9;
        if (d == 0) {
            return "0";
        }
        BigDecimal b = new BigDecimal(d).round(new MathContext(6));
        int exp = b.precision() - b.scale() - 1;
        if (exp < -4 || exp >= 6) {
            BigDecimal m = b.movePointLeft(exp).stripTrailingZeros();
            String ms = m.scale() <= 0 ? m.toBigInteger().toString() : m.toPlainString();
            return ms + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return b.stripTrailingZeros().toPlainString();
    }

    private static String sigset(long v) {
        StringBuilder s = new StringBuilder();
        for (int sig = 0; sig < 32; sig++) {
            if ((v & (1L << sig)) != 0) {
                String name = PrintTables.signal(sig + 1);
                if (name != null) {
                    s.append(s.length() > 0 ? " " : "").append(name);
                }
            }
        }
        return s.toString();
    }
}
