// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The last event of a plain .scap file, read from its end: a block repeats its length after its
 * body (pcapng framing), so the last block is found without reading the file. A replay needs the
 * capture's time range before its first interval; this spares it a whole pass over the file.
 */
public final class ScapTail {
    private ScapTail() {
    }

    /**
     * The timestamp of the file's last block, when that block is an event the reader returns (a
     * known id, a header that fits its block); -1 otherwise: a gzip file, a cut or damaged end, a
     * newer driver's event, anything else, for which only reading the whole file tells. The event's
     * parameters are not checked: a last event damaged in them ends a replay one event earlier.
     */
    public static long lastTimestamp(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < ScapInput.FRAME + 4) {
                return -1;
            }
            byte[] magic = read(ch, 0, 2);
            if (magic == null || ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b)) {
                return -1;
            }
            byte[] t = read(ch, size - 4, 4);
            long total = t == null ? -1 : Le.u32(t, 0);
            if (total < ScapInput.FRAME || total > size || total > ScapInput.MAX_BLOCK) {
                return -1;
            }
            byte[] b = read(ch, size - total, (int) total);
            if (b == null || Le.u32(b, 4) != total) {
                return -1;
            }
            int type = Le.i32(b, 0);
            if (!BlockType.isEvent(type)) {
                return -1;
            }
            boolean v1 = BlockType.isV1Event(type);
            int header = v1 ? 22 : 26;
            int prefix = BlockType.hasDumpFlags(type) ? 6 : 2;
            if (total < ScapInput.FRAME + prefix + header
                    || (!BlockType.isLargeEvent(type) && total - 8 > ScapReader.MAX_EVENT_BODY)) {
                return -1;
            }
            int ev = 8 + prefix;
            long len = Le.u32(b, ev + 16);
            int id = Le.u16(b, ev + 20);
            if (EventTable.get(id) == null || len < header || len > total - 4 - ev) {
                return -1;
            }
            return Le.i64(b, ev);
        }
    }

    private static byte[] read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                return null;
            }
        }
        return buf.array();
    }
}
