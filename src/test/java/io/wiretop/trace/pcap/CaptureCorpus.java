// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Real capture files to damage, and the ways to damage them: cuts inside every part of a record
 * or block, bit flips, and edited length fields. Shared by the tcpdump comparison and the
 * property tests.
 */
final class CaptureCorpus {
    private CaptureCorpus() {
    }

    /**
     * A sound capture and where its parts are.
     *
     * @param units the file header and each record or block: {offset, length, header length}
     * @param ng    pcapng (units are blocks) rather than classic pcap (units are records)
     */
    record Base(String name, byte[] bytes, List<int[]> units, boolean ng, int packets) {
    }

    /** A damaged copy of a base and how it was damaged. */
    record Mutant(String base, String how, byte[] bytes) {
        @Override
        public String toString() {
            return base + " " + how;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = CaptureCorpus.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * tcpdump's sample (classic pcap, little-endian, µs), the same as big-endian ns pcap, as pcapng
     * written by editcap, as pcapng written by wiretop (process comments, epb_flags), and the two
     * pcapng files one after the other (two sections).
     */
    static List<Base> bases() {
        byte[] pcap = resource("sample-lo.pcap");
        byte[] editcap = resource("sample-lo.pcapng");
        byte[] ours = wiretopPcapNg(pcap);
        byte[] both = new byte[editcap.length + ours.length];
        System.arraycopy(editcap, 0, both, 0, editcap.length);
        System.arraycopy(ours, 0, both, editcap.length, ours.length);
        return List.of(base("pcap-le-us", pcap, false), base("pcap-be-ns", bigEndianNanos(pcap), false),
                base("pcapng-editcap", editcap, true), base("pcapng-wiretop", ours, true),
                base("pcapng-two-sections", both, true));
    }

    private static Base base(String name, byte[] bytes, boolean ng) {
        List<int[]> units = ng ? blocks(bytes) : records(bytes);
        int packets = 0;
        for (int[] u : units) {
            int type = ng ? ByteBuffer.wrap(bytes, u[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt() : -1;
            packets += (!ng && u[0] > 0) || type == 6 ? 1 : 0;
        }
        return new Base(name, bytes, units, ng, packets);
    }

    private static List<int[]> records(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(b[0] == (byte) 0xa1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        List<int[]> r = new ArrayList<>(List.of(new int[]{0, 24, 24}));
        for (int p = 24; p < b.length; ) {
            int len = 16 + bb.getInt(p + 8);
            r.add(new int[]{p, len, 16});
            p += len;
        }
        return r;
    }

    private static List<int[]> blocks(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); // the corpus is little-endian
        List<int[]> r = new ArrayList<>();
        for (int p = 0; p < b.length; ) {
            int type = bb.getInt(p), len = bb.getInt(p + 4);
            r.add(new int[]{p, len, type == 6 ? 28 : type == 0x0A0D0D0A ? 24 : type == 1 ? 16 : 8});
            p += len;
        }
        return r;
    }

    /** The sample written by wiretop's own writer, every packet with a process comment and a direction. */
    private static byte[] wiretopPcapNg(byte[] pcap) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapReader r = new PcapReader(new java.io.ByteArrayInputStream(pcap));
             PcapNgWriter w = new PcapNgWriter(out, "wiretop test")) {
            int lo = w.addInterface("lo", LinkType.ETHERNET, 262144, "ifIndex: 1", "tcp or udp");
            int i = 0;
            for (CapturedPacket p; (p = r.next()) != null; i++) {
                w.write(lo, p.tsNanos(), p.data(), 0, p.data().length, p.origLen(),
                        i % 2 == 0 ? Direction.OUT : Direction.IN, PcapNgWriterTest.CURL.comments());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The classic sample rewritten big-endian with nanosecond time stamps. */
    private static byte[] bigEndianNanos(byte[] le) {
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        out.putInt(0xa1b23c4d).putShort(in.getShort(4)).putShort(in.getShort(6)).putInt(in.getInt(8))
                .putInt(in.getInt(12)).putInt(in.getInt(16)).putInt(in.getInt(20));
        for (int p = 24; p < le.length; ) {
            int caplen = in.getInt(p + 8);
            out.putInt(in.getInt(p)).putInt(in.getInt(p + 4) * 1000).putInt(caplen).putInt(in.getInt(p + 12));
            out.put(le, p + 16, caplen);
            p += 16 + caplen;
        }
        return out.array();
    }

    /** Cuts inside every part of the first and last few units, and at their boundaries. */
    static List<Mutant> truncations(Base b) {
        List<Mutant> r = new ArrayList<>();
        Set<Integer> cuts = new LinkedHashSet<>();
        List<int[]> units = b.units();
        for (int i = 0; i < units.size(); i++) {
            if (i > 4 && i < units.size() - 2) {
                continue;
            }
            int s = units.get(i)[0], len = units.get(i)[1], hdr = units.get(i)[2];
            for (int c : new int[]{s, s + 1, s + 4, s + 7, s + 8, s + hdr - 1, s + hdr, s + len / 2, s + len - 4,
                    s + len - 1}) {
                if (c >= 0 && c < b.bytes().length) {
                    cuts.add(c);
                }
            }
        }
        for (int c : cuts) {
            r.add(new Mutant(b.name(), "cut at " + c, java.util.Arrays.copyOf(b.bytes(), c)));
        }
        return r;
    }

    /** {@code n} single bit flips at random offsets. */
    static List<Mutant> bitFlips(Base b, Random rnd, int n) {
        List<Mutant> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(b.bytes().length), bit = rnd.nextInt(8);
            r.add(flip(b, at, bit));
        }
        return r;
    }

    static Mutant flip(Base b, int at, int bit) {
        byte[] m = b.bytes().clone();
        m[at] ^= (byte) (1 << bit);
        return new Mutant(b.name(), "bit " + bit + " of byte " + at + " flipped", m);
    }

    /**
     * Length fields edited in the first and last few units: a pcapng block's leading or trailing
     * length, a pcap record's captured or original length.
     */
    static List<Mutant> lengthEdits(Base b) {
        List<Mutant> r = new ArrayList<>();
        List<int[]> units = b.units();
        ByteOrder order = !b.ng() && b.bytes()[0] == (byte) 0xa1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < units.size(); i++) {
            if (i > 4 && i < units.size() - 2) {
                continue;
            }
            int s = units.get(i)[0], len = units.get(i)[1];
            if (b.ng()) {
                for (int v : new int[]{len + 4, len - 4, len + 1, len * 2, 0, 8, 0x7ffffffc, -4}) {
                    r.add(set(b, s + 4, v, order, "block " + i + " leading length " + len + " -> " + v));
                }
                r.add(set(b, s + len - 4, len + 4, order, "block " + i + " trailing length " + len + " -> " + (len + 4)));
                if (len > 28) {
                    int capOff = s + 20;
                    int cap = ByteBuffer.wrap(b.bytes(), capOff, 4).order(order).getInt();
                    r.add(set(b, capOff, cap + 4, order, "block " + i + " field at +20 " + cap + " -> " + (cap + 4)));
                }
            } else if (s > 0) {
                int cap = len - 16;
                for (int v : new int[]{cap + 1, cap - 1, 0, 262145, -1}) {
                    r.add(set(b, s + 8, v, order, "record " + i + " caplen " + cap + " -> " + v));
                }
                r.add(set(b, s + 12, 0, order, "record " + i + " len -> 0"));
            }
        }
        return r;
    }

    /**
     * Snapshot lengths lowered below the packets (pcap: the file header's, which libpcap applies by
     * cutting; pcapng: each IDB's, which libpcap enforces), and one packet appended that is longer
     * than any Ethernet capture may be (262145 bytes).
     */
    static List<Mutant> snaplenEdits(Base b) {
        List<Mutant> r = new ArrayList<>();
        ByteOrder order = !b.ng() && b.bytes()[0] == (byte) 0xa1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int huge = 262145;
        ByteBuffer extra;
        if (b.ng()) {
            for (int[] u : b.units()) {
                if (ByteBuffer.wrap(b.bytes(), u[0], 4).order(order).getInt() == 1) {
                    for (int v : new int[]{64, 0, 1}) {
                        r.add(set(b, u[0] + 12, v, order, "IDB at " + u[0] + " snaplen -> " + v));
                    }
                }
            }
            int total = 28 + ((huge + 3) & ~3) + 4;
            extra = ByteBuffer.allocate(total).order(order).putInt(6).putInt(total).putInt(0).putInt(0).putInt(0)
                    .putInt(huge).putInt(huge);
            extra.putInt(total - 4, total);
        } else {
            for (int v : new int[]{64, 0, 1}) {
                r.add(set(b, 16, v, order, "file snaplen -> " + v));
            }
            extra = ByteBuffer.allocate(16 + huge).order(order).putInt(1).putInt(0).putInt(huge).putInt(huge);
        }
        byte[] m = java.util.Arrays.copyOf(b.bytes(), b.bytes().length + extra.capacity());
        System.arraycopy(extra.array(), 0, m, b.bytes().length, extra.capacity());
        r.add(new Mutant(b.name(), "a packet of " + huge + " bytes appended", m));
        return r;
    }

    /**
     * Every bit flipped, one at a time, in each IDB's fixed fields and in the code and length of
     * each of its options: where libpcap is strict (options running past the block, if_tsresol
     * and if_tsoffset of the wrong size or given twice, resolutions beyond 64 bits).
     */
    static List<Mutant> interfaceBitFlips(Base b) {
        List<Mutant> r = new ArrayList<>();
        if (!b.ng()) {
            return r;
        }
        ByteBuffer bb = ByteBuffer.wrap(b.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] u : b.units()) {
            if (bb.getInt(u[0]) != 1) {
                continue;
            }
            List<Integer> bytes = new ArrayList<>();
            for (int i = 8; i < 16; i++) {
                bytes.add(u[0] + i);
            }
            for (int p = u[0] + 16; p + 4 <= u[0] + u[1] - 4; ) {
                for (int i = 0; i < 4; i++) {
                    bytes.add(p + i);
                }
                int code = bb.getShort(p) & 0xffff, len = bb.getShort(p + 2) & 0xffff;
                if (code == 0) {
                    break;
                }
                bytes.add(p + 4); // the first byte of the value: if_tsresol's resolution
                p += 4 + ((len + 3) & ~3);
            }
            for (int at : bytes) {
                for (int bit = 0; bit < 8; bit++) {
                    r.add(flip(b, at, bit));
                }
            }
        }
        return r;
    }

    private static Mutant set(Base b, int at, int value, ByteOrder order, String how) {
        byte[] m = b.bytes().clone();
        ByteBuffer.wrap(m).order(order).putInt(at, value);
        return new Mutant(b.name(), how, m);
    }
}
