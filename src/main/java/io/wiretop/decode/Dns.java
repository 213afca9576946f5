// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.util.ArrayList;
import java.util.List;

/** A DNS message: header, questions and answer records (enough for tcpdump's one-line summary). */
public record Dns(int id, int flags, int qdCount, int anCount, int nsCount, int arCount,
                  List<Question> questions, List<Record> answers, boolean truncated) {

    /** A question: name (with trailing dot), type and class. */
    public record Question(String name, int type, int klass) {
    }

    /** A resource record; {@code data} is the rendered RDATA (address, name, ...) or null when unknown. */
    public record Record(String name, int type, int klass, long ttl, String data) {
    }

    public boolean response() {
        return (flags & 0x8000) != 0;
    }

    public int opcode() {
        return (flags >> 11) & 0xf;
    }

    public int rcode() {
        return flags & 0xf;
    }

    /** Parses a DNS message from {@code len} bytes at {@code off}; null when it is not DNS-shaped. */
    static Dns parse(byte[] b, int off, int len) {
        if (len < 12) {
            return null;
        }
        int end = off + len;
        int qd = Bytes.u16(b, off + 4), an = Bytes.u16(b, off + 6);
        List<Question> qs = new ArrayList<>();
        List<Record> rs = new ArrayList<>();
        int p = off + 12;
        boolean truncated = false;
        try {
            for (int i = 0; i < qd; i++) {
                int[] pos = {p};
                String name = name(b, off, end, pos);
                p = pos[0];
                if (p + 4 > end) {
                    throw new IndexOutOfBoundsException();
                }
                qs.add(new Question(name, Bytes.u16(b, p), Bytes.u16(b, p + 2)));
                p += 4;
            }
            for (int i = 0; i < an; i++) {
                int[] pos = {p};
                String name = name(b, off, end, pos);
                p = pos[0];
                if (p + 10 > end) {
                    throw new IndexOutOfBoundsException();
                }
                int type = Bytes.u16(b, p), klass = Bytes.u16(b, p + 2), rdlen = Bytes.u16(b, p + 8);
                long ttl = Bytes.u32(b, p + 4);
                p += 10;
                if (p + rdlen > end) {
                    throw new IndexOutOfBoundsException();
                }
                rs.add(new Record(name, type, klass, ttl, rdata(b, off, end, p, rdlen, type)));
                p += rdlen;
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            truncated = true;
        }
        return new Dns(Bytes.u16(b, off), Bytes.u16(b, off + 2), qd, an, Bytes.u16(b, off + 8),
                Bytes.u16(b, off + 10), List.copyOf(qs), List.copyOf(rs), truncated);
    }

    private static String rdata(byte[] b, int msg, int end, int p, int len, int type) {
        return switch (type) {
            case 1 -> len == 4 ? Ip.text(Bytes.slice(b, p, 4)) : null;
            case 28 -> len == 16 ? Ip.text(Bytes.slice(b, p, 16)) : null;
            case 2, 5, 12 -> name(b, msg, end, new int[]{p});
            case 15 -> len > 2 ? name(b, msg, end, new int[]{p + 2}) + " " + Bytes.u16(b, p) : null;
            case 16 -> {
                StringBuilder s = new StringBuilder();
                for (int q = p; q < p + len; ) {
                    int l = Bytes.u8(b, q++);
                    s.append(s.length() > 0 ? " " : "").append('"')
                            .append(new String(b, q, Math.min(l, p + len - q), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .append('"');
                    q += l;
                }
                yield s.toString();
            }
            default -> null;
        };
    }

    /** Reads a possibly compressed name at pos[0], advancing pos[0] past it; "." for the root. */
    static String name(byte[] b, int msg, int end, int[] pos) {
        StringBuilder s = new StringBuilder();
        int p = pos[0];
        boolean jumped = false;
        for (int hops = 0; hops < 64; hops++) {
            if (p >= end) {
                throw new IndexOutOfBoundsException();
            }
            int l = Bytes.u8(b, p);
            if (l == 0) {
                if (!jumped) {
                    pos[0] = p + 1;
                }
                return s.length() == 0 ? "." : s.toString();
            }
            if ((l & 0xc0) == 0xc0) {
                if (p + 1 >= end) {
                    throw new IndexOutOfBoundsException();
                }
                if (!jumped) {
                    pos[0] = p + 2;
                }
                jumped = true;
                p = msg + (((l & 0x3f) << 8) | Bytes.u8(b, p + 1));
                continue;
            }
            if ((l & 0xc0) != 0 || p + 1 + l > end) {
                throw new IllegalArgumentException("bad label");
            }
            for (int i = 0; i < l; i++) {
                int c = Bytes.u8(b, p + 1 + i);
                s.append(c > 0x20 && c < 0x7f && c != '.' ? (char) c : '?');
            }
            s.append('.');
            p += 1 + l;
        }
        throw new IllegalArgumentException("name loop");
    }

    /** tcpdump's names of RR types. */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 41 -> "OPT";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 255 -> "ANY";
            default -> "Type" + type;
        };
    }
}
