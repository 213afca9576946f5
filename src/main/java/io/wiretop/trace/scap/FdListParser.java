// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import java.util.List;

/**
 * FD-list (FDL v1, FDL_V2) entries: files, sockets (the list's order is sip, dip, sport, dport),
 * server sockets, unix sockets, FILE_V2 with open flags and, in v2, a device (libscap's
 * {@code scap_fd_read_from_disk}).
 */
final class FdListParser {

    private FdListParser() {
    }

    /** The entries of an FD-list block after its tid, added to {@code list}. */
    static void read(BodyCursor c, boolean v2, List<ScapFd> list) throws CaptureFileException {
        while (c.remaining() >= 4) {
            int start = c.position();
            long len = v2 ? c.u32("entry length") : 0; // includes itself
            if (v2 && (len < 4 || len - 4 > c.remaining())) {
                throw c.error("entry length " + len + " does not fit the block");
            }
            int end = v2 ? start + (int) len : -1;
            long fd = c.i64("fd");
            long ino = c.i64("inode");
            int type = (byte) c.u8("fd type");
            String fdName = "";
            ScapSocket socket = null;
            long openFlags = 0;
            long dev = 0;
            switch (type) {
                case 0 -> {
                    // SCAP_FD_UNKNOWN: no payload; libscap asserts in debug builds and reads on in release ones
                }
                case 1, 2, 7, 9, 10, 11, 12, 13, 14, 15 -> fdName = c.str("fd name", BodyCursor.MAX_PATH);
                case 3 -> socket = new ScapSocket(ScapSocket.AF_INET, c.bytes(4, "source address"), 0,
                        c.bytes(4, "destination address"), 0, 0, 0, 0, "");
                case 4 -> socket = new ScapSocket(ScapSocket.AF_INET6, c.bytes(16, "source address"), 0,
                        c.bytes(16, "destination address"), 0, 0, 0, 0, "");
                case 5 -> socket = new ScapSocket(ScapSocket.AF_INET, c.bytes(4, "address"), c.u16("port"), null, 0,
                        c.u8("l4 protocol"), 0, 0, "");
                case 6 -> socket = new ScapSocket(ScapSocket.AF_INET6, c.bytes(16, "address"), c.u16("port"), null,
                        0, c.u8("l4 protocol"), 0, 0, "");
                case 8 -> {
                    long src = c.i64("unix source");
                    long dst = c.i64("unix destination");
                    fdName = c.str("unix path", BodyCursor.MAX_PATH);
                    socket = new ScapSocket(ScapSocket.AF_UNIX, null, 0, null, 0, -1, src, dst, fdName);
                }
                case 16 -> {
                    openFlags = c.u32("open flags");
                    fdName = c.str("fd name", BodyCursor.MAX_PATH);
                    if (v2 && c.position() + 4 <= end) {
                        dev = c.u32("device");
                    }
                }
                default -> throw c.error("unknown fd type " + type + " for fd " + fd);
            }
            if (type == 3 || type == 4) {
                // the list's order is sip, dip, sport, dport, l4proto (events put each port after its address)
                socket = new ScapSocket(socket.family(), socket.source(), c.u16("source port"), socket.dest(),
                        c.u16("destination port"), c.u8("l4 protocol"), 0, 0, "");
            }
            list.add(new ScapFd(fd, ino, type, fdName, socket, openFlags, dev));
            if (v2) {
                if (c.position() > end) {
                    throw c.error("entry of fd " + fd + " longer than its length field");
                }
                c.seek(end);
            }
        }
    }
}
