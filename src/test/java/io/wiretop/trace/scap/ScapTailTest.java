// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScapTailTest {
    @TempDir
    Path dir;

    private static long lastByReading(Path f) throws Exception {
        long last = -1;
        try (ScapReader r = ScapReader.open(f)) {
            for (ScapEvent e; (e = r.next()) != null; ) {
                last = e.timestamp();
            }
        }
        return last;
    }

    @Test
    void aPlainFilesLastEventIsFoundFromItsEnd() throws Exception {
        for (String name : List.of("curl_google", "single_ipv6_conn", "test_ipv6_client")) {
            Path f = dir.resolve(name + ".scap");
            Files.write(f, ScapFixtures.plain(name));
            long last = lastByReading(f);
            assertEquals(last, ScapTail.lastTimestamp(f), name);
        }
    }

    @Test
    void gzipCutOrOddEndsAreLeftToAFullRead() throws Exception {
        assertEquals(-1, ScapTail.lastTimestamp(ScapFixtures.path("curl_google")), "gzip");
        byte[] plain = ScapFixtures.plain("curl_google");
        Path cut = dir.resolve("cut.scap");
        Files.write(cut, Arrays.copyOf(plain, plain.length - 3));
        assertEquals(-1, ScapTail.lastTimestamp(cut), "cut inside the last block");
        List<Integer> blocks = ScapFixtures.blockOffsets(plain);
        Path newer = dir.resolve("newer.scap");
        byte[] b = plain.clone();
        int last = blocks.get(blocks.size() - 1);
        int type = Le.i32(b, last);
        int ev = last + 8 + (BlockType.hasDumpFlags(type) ? 6 : 2);
        b[ev + 20] = (byte) 0xff; // an event id past the table: the reader skips it, so it is not the last event
        b[ev + 21] = (byte) 0x7f;
        Files.write(newer, b);
        assertEquals(-1, ScapTail.lastTimestamp(newer), "a newer driver's event");
        Path tiny = dir.resolve("tiny.scap");
        Files.write(tiny, new byte[8]);
        assertEquals(-1, ScapTail.lastTimestamp(tiny));
    }
}
