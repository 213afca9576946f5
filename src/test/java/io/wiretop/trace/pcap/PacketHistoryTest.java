// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which packets a replayed file's Packets view lists as the selection changes. */
class PacketHistoryTest {
    private static CapturedPacket packet(long pid) {
        List<String> c = List.of("PID: " + pid + "\nCmd: /bin/p\nArgs: p");
        byte[] f = Frames.udp4(Frames.ip(10, 0, 0, 1), 1000, Frames.ip(10, 0, 0, 2), 2000, 4);
        return new CapturedPacket(0, "eth0", LinkType.ETHERNET, f, f.length, Direction.OUT, ProcessContext.fromComments(c), c);
    }

    private static List<Long> seqs(PacketHistory h) {
        return h.rows().stream().map(PacketRow::seq).toList();
    }

    @Test
    void aSelectionListsTheNewestOfItsPacketsReadSoFarThenTheNewOnes() {
        PacketHistory h = new PacketHistory();
        for (long i = 1; i <= 6; i++) {
            h.add(packet(i % 2 + 1), i % 2 + 1, 100 + i % 3); // pids 2,1,2,1,2,1; cookies 101,102,100,...
        }
        assertEquals(List.of(), seqs(h), "nothing selected");
        h.select(new PacketSelection(false, Set.of(1L), Set.of()));
        assertEquals(List.of(2L, 4L, 6L), seqs(h));
        h.add(packet(1), 1, 7);
        h.add(packet(2), 2, 7);
        assertEquals(List.of(2L, 4L, 6L, 7L), seqs(h));
        h.select(new PacketSelection(false, Set.of(), Set.of(100L)));
        assertEquals(List.of(3L, 6L), seqs(h), "another selection: its packets only");
        h.select(PacketSelection.ALL);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), seqs(h));
        h.select(PacketSelection.NONE);
        assertEquals(List.of(), seqs(h));
    }

    @Test
    void atMostTheNewestCapacityPacketsAreKept() {
        PacketHistory h = new PacketHistory();
        h.select(PacketSelection.ALL);
        for (int i = 0; i < PacketHistory.CAPACITY + 10; i++) {
            h.add(packet(1), 1, 1);
        }
        List<Long> s = seqs(h);
        assertEquals(PacketHistory.CAPACITY, s.size());
        assertEquals(11L, s.get(0));
        h.select(new PacketSelection(false, Set.of(1L), Set.of()));
        assertEquals(PacketHistory.CAPACITY, seqs(h).size(), "rebuilt from the newest packets of the file");
    }
}
