// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.trace.scap.ScapReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Untrusted files: parameter bytes that do not fit their type (flipped bytes in the event bodies
 * of a real capture) never make the printer throw, in any buffer mode; every event the reader
 * accepts gets a line, and no line holds a control character.
 */
class SysdigLineCorruptionTest {

    @Test
    void flippedBytesNeverThrow() throws IOException {
        byte[] plain = ScapFixtures.plain("curl_google");
        List<Integer> blocks = ScapFixtures.blockOffsets(plain);
        Random rnd = new Random(42);
        int lines = 0;
        for (int round = 0; round < 60; round++) {
            byte[] a = plain.clone();
            for (int k = 0; k < 300; k++) {
                int b = blocks.get(blocks.size() / 2 + rnd.nextInt(blocks.size() / 2));
                int at = b + 8 + 2 + 26 + rnd.nextInt(64); // inside an event's lengths and values, mostly
                if (at < a.length) {
                    a[at] = (byte) rnd.nextInt(256);
                }
            }
            SysdigLine.Buffers mode = SysdigLine.Buffers.values()[round % 3];
            try (ScapReader r = new ScapReader(new ByteArrayInputStream(a))) {
                SysdigLine p = new SysdigLine(r.section(), ZoneOffset.UTC, mode);
                for (ScapEvent e; (e = r.next()) != null; ) {
                    String line = p.next(e);
                    if (line != null) {
                        lines++;
                        String body = mode == SysdigLine.Buffers.DOTTED ? line : line.replace("\n", "").replace("\t", "");
                        assertTrue(body.chars().noneMatch(c -> c < 0x20 || c == 0x7f) || hasCharbuf(e),
                                "control character in " + line);
                    }
                }
            } catch (IOException refused) {
                // the reader refused a corrupted block: one clear error, fine
            }
        }
        assertTrue(lines > 10_000, lines + " lines printed");
    }

    @Test
    void shortValuesPrintWithoutReadingPastThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path f = dir.resolve("short.scap");
        try (io.wiretop.trace.scap.ScapWriter w = io.wiretop.trace.scap.ScapWriter.create(f)) {
            // poll claiming 5 fds with one present; an IPv4 address of 3 bytes; a tuple of 5; a 2-byte fd
            w.event().begin(1, 7, 0, 80, 2).bytes(new byte[] {5, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 0, 12)
                    .u64(10).end();
            w.event().begin(2, 7, 0, 22, 2).u64(3).bytes(new byte[] {2, 127, 0}, 0, 3).end();
            w.event().begin(3, 7, 0, 23, 2).u64(0).bytes(new byte[] {10, 0, 0, 0, 1}, 0, 5).end();
            w.event().begin(4, 7, 0, 4, 1).u16(3).end();
            w.event().begin(5, 7, 0, 45, 6).u64(0).u64(3).u8(1).u8(9).empty().u32(4).end();
        }
        List<String> lines = new java.util.ArrayList<>();
        try (ScapReader r = ScapReader.open(f)) {
            SysdigLine p = new SysdigLine(r.section(), ZoneOffset.UTC, SysdigLine.Buffers.DOTTED);
            for (ScapEvent e; (e = r.next()) != null; ) {
                lines.add(p.next(e).substring(21)); // past the number and time
            }
        }
        assertEquals(List.of(
                "0 <NA> (7) > poll fds=3:?1 timeout=10 ",
                "0 <NA> (7) > connect fd=3 addr=INVALID IPv4 ",
                "0 <NA> (7) < connect res=0 tuple=INVALID IPv6 ",
                "0 <NA> (7) > close fd=3 ",
                "0 <NA> (7) < setsockopt res=0 fd=3 level=1(SOL_SOCKET) optname=9(SO_KEEPALIVE) "
                        + "val=INVALID DYNAMIC PARAMETER optlen=4 "), lines);
    }

    /** CHARBUF parameters (exe, comm, cwd) reach the line unsanitised in sysdig too: the UI escapes them. */
    private static boolean hasCharbuf(ScapEvent e) {
        return e.info().paramTypes().contains(io.wiretop.trace.scap.ParamType.CHARBUF);
    }
}
