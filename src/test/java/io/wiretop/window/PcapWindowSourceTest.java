// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.TraceFeeds;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dig on a connection of a replayed packet file: that connection's packets only, both ways, in the
 * file's order, as {@code tshark -r sample-lo.pcapng -Y tcp.port==58954} lists them (10 frames:
 * S, S., ., P., ., P., ., P., ., R.).
 */
class PcapWindowSourceTest {
    private static final Path FILE = Path.of("src/test/resources/io/wiretop/trace/pcap/sample-lo.pcapng");

    private static List<WindowEvent> read(WindowSelection sel) throws Exception {
        PcapWindowSource s = PcapWindowSource.start(FILE, sel, ZoneOffset.UTC);
        s.await(30_000);
        List<WindowEvent> out = new ArrayList<>();
        s.drain().forEach(out::addAll);
        assertTrue(s.finished(), "read to its end and drained");
        assertNull(s.failure());
        return out;
    }

    @Test
    void aConnectionsPacketsBothWaysAsTsharkListsThem() throws Exception {
        assertTrue(TraceFeeds.holdsPackets(FILE));
        List<WindowEvent> got = read(WindowSelection.connection(0, "127.0.0.1:8080->127.0.0.1:58954", 0, "x"));
        List<String> flags = new ArrayList<>();
        for (WindowEvent w : got) {
            assertTrue(w.isPacket());
            String l = w.line();
            flags.add(l.substring(l.indexOf("flags=") + 6, l.indexOf(']', l.indexOf("flags=")) + 1));
        }
        assertEquals(List.of("[S]", "[S.]", "[.]", "[P.]", "[.]", "[P.]", "[.]", "[P.]", "[.]", "[R.]"), flags);
        assertTrue(got.get(0).line().matches("p1 \\d\\d:\\d\\d:\\d\\d\\.\\d{9} - <NA> \\(0\\) (out|in) pkt .*127\\.0\\.0\\.1\\.58954 > 127\\.0\\.0\\.1\\.8080 .*"),
                got.get(0).line());
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i - 1).timeNanos() <= got.get(i).timeNanos());
        }
    }

    @Test
    void aProcessOfAPacketFileHasNoEventsToShow() throws Exception {
        assertFalse(read(WindowSelection.processes(Set.of(1L), "x")).iterator().hasNext());
    }
}
