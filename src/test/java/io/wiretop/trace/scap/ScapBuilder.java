// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes .scap blocks for tests, field by field as shared/reference/scap-format.md lays them out. */
final class ScapBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    /** A block: type, length, body, padding, trailer (the length as given when {@code trailer} is null). */
    ScapBuilder block(int type, byte[] body, Long trailer) {
        int total = (8 + body.length + 4 + 3) & ~3;
        ByteBuffer b = le(total);
        b.putInt(type).putInt(total).put(body);
        b.position(total - 4);
        b.putInt(trailer == null ? total : trailer.intValue());
        out.writeBytes(b.array());
        return this;
    }

    ScapBuilder block(int type, byte[] body) {
        return block(type, body, null);
    }

    ScapBuilder shb(int major, int minor) {
        return block(BlockType.SHB, le(16).putInt(BlockType.SHB_MAGIC).putShort((short) major)
                .putShort((short) minor).putLong(-1).array());
    }

    /** An EV_V2 block of event {@code type} with the given parameters (u16 lengths). */
    ScapBuilder event(int type, long ts, long tid, byte[]... params) {
        return block(BlockType.EV_V2, concat(le(2).putShort((short) 0).array(), event(type, ts, tid, 2, params)));
    }

    /** Event bytes (header, lengths, values), lengths of {@code lenSize} bytes. */
    static byte[] event(int type, long ts, long tid, int lenSize, byte[]... params) {
        int len = 26 + lenSize * params.length;
        for (byte[] p : params) {
            len += p.length;
        }
        ByteBuffer b = le(len);
        b.putLong(ts).putLong(tid).putInt(len).putShort((short) type).putInt(params.length);
        for (byte[] p : params) {
            if (lenSize == 2) {
                b.putShort((short) p.length);
            } else {
                b.putInt(p.length);
            }
        }
        for (byte[] p : params) {
            b.put(p);
        }
        return b.array();
    }

    /**
     * A file of the block kinds the fixtures lack: MI, every process-list version, old codes, an
     * FDL_V2 with socket and file entries, EVF_V2, large-payload and v1 EVF events.
     */
    static byte[] mixed() {
        ScapBuilder b = new ScapBuilder().shb(1, 2);
        ByteBuffer mi = le(180).putInt(4).putLong(1L << 33).putLong(32768).put("host".getBytes(StandardCharsets.US_ASCII));
        b.block(BlockType.MI_OLD, mi.array());
        for (int v = 1; v <= 9; v++) {
            b.block(processListType(v), thread(v, v, "t" + v));
        }
        ByteBuffer fd = le(200);
        fd.putLong(1); // tid
        int e1 = fd.position();
        fd.putInt(0).putLong(3).putLong(99).put((byte) 3).putInt(0x0100007f).putInt(0x0200007f).putShort((short) 80)
                .putShort((short) 5000).put((byte) 2);
        fd.putInt(e1, fd.position() - e1);
        int e2 = fd.position();
        fd.putInt(0).putLong(4).putLong(98).put((byte) 16).putInt(1).putShort((short) 4).put("/etc".getBytes(StandardCharsets.US_ASCII)).putInt(7);
        fd.putInt(e2, fd.position() - e2);
        byte[] fds = new byte[fd.position()];
        fd.flip().get(fds);
        b.block(BlockType.FDL_V2, fds);
        byte[] tuple = le(13).put((byte) 2).putInt(0x0100007f).putShort((short) 5000).putInt(0x0200007f)
                .putShort((short) 80).array();
        for (int i = 0; i < 4; i++) {
            b.block(BlockType.EVF_V2, concat(new byte[] {1, 0}, u32(1), event(23, 10 + i, 1, 2, i64(0), tuple)));
            b.block(BlockType.EV_V2_LARGE, concat(new byte[2], event(324, 20 + i, 1, 4, cstr("{\"a\":" + i + "}"))));
            b.block(BlockType.EVF_V2_LARGE, concat(new byte[2], u32(0), event(322, 30 + i, 1, 4, u32(7), new byte[40])));
            b.block(BlockType.EVF, concat(new byte[2], u32(0), v1(9, 40 + i, 1, i64(6), cstr("hello"))));
            b.block(BlockType.EV_OLD, concat(new byte[2], v1(4, 50 + i, 1, i64(3))));
        }
        return b.bytes();
    }

    /** v1 event bytes: 22-byte header, no parameter count. */
    static byte[] v1(int type, long ts, long tid, byte[]... params) {
        int len = 22 + 2 * params.length;
        for (byte[] p : params) {
            len += p.length;
        }
        ByteBuffer b = le(len);
        b.putLong(ts).putLong(tid).putInt(len).putShort((short) type);
        for (byte[] p : params) {
            b.putShort((short) p.length);
        }
        for (byte[] p : params) {
            b.put(p);
        }
        return b.array();
    }

    /** A process-list entry of version v (1..9) for one thread, with recognisable values. */
    static byte[] thread(int v, long tid, String comm) {
        ByteBuffer b = le(4096);
        int start = b.position();
        if (v == 9) {
            b.putInt(0); // entry length, patched below
        }
        b.putLong(tid).putLong(tid).putLong(1);
        if (v >= 6) {
            b.putLong(100); // sid
        }
        if (v >= 8) {
            b.putLong(200); // vpgid
        }
        str(b, comm);
        str(b, "/bin/" + comm);
        if (v >= 7) {
            str(b, "/usr/bin/" + comm);
        }
        str(b, "-a\0-b\0");
        str(b, "/tmp");
        b.putLong(1024).putInt(0).putInt(1000).putInt(1000);
        if (v >= 2) {
            b.putInt(11).putInt(12).putInt(13).putLong(14).putLong(15);
        }
        if (v >= 3) {
            str(b, "HOME=/root\0");
        }
        if (v >= 4) {
            b.putLong(tid + 1).putLong(tid + 2);
            str(b, "cpu=/\0");
        }
        if (v >= 5) {
            str(b, "/");
        }
        if (v == 9) {
            b.putInt(4242).put((byte) 1);
            b.putInt(start, b.position() - start);
        }
        byte[] r = new byte[b.position()];
        b.flip().get(r);
        return r;
    }

    static int processListType(int v) {
        return new int[] {0, BlockType.PL_V1, BlockType.PL_V2, BlockType.PL_V3, BlockType.PL_V4, BlockType.PL_V5,
            BlockType.PL_V6, BlockType.PL_V7, BlockType.PL_V8, BlockType.PL_V9}[v];
    }

    static byte[] i64(long v) {
        return le(8).putLong(v).array();
    }

    static byte[] u32(long v) {
        return le(4).putInt((int) v).array();
    }

    static byte[] cstr(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void str(ByteBuffer b, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) v.length).put(v);
    }
}
