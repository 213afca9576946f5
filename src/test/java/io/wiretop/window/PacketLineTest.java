// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.model.PacketRow;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which packets are a connection's, and their Dig line. */
class PacketLineTest {
    private static final long T = 1_700_000_000_123_456_789L;

    private static PacketRow row(long seq, String dir, String src, String dst, long pid, long cookie) {
        CapturedPacket p = new CapturedPacket(T + seq, "lo", LinkType.ETHERNET, new byte[0], 0,
                "Out".equals(dir) ? Direction.OUT : Direction.IN, ProcessContext.NONE, List.of(), cookie);
        return new PacketRow(seq, "", dir, "lo", "tcp", src, dst, 60, "[S]", "seq 1, win 65495, length 0", pid, pid + 1,
                "curl", cookie, p);
    }

    @Test
    void aLiveConnectionTakesItsSocketsPacketsByCookieOnlyOnceEach() {
        WindowSelection sel = WindowSelection.connection(42, "127.0.0.1:40000->127.0.0.1:8080", 77, "x");
        PacketLine l = new PacketLine(sel, ZoneOffset.UTC);
        PacketRow mine = row(1, "Out", "127.0.0.1.40000", "127.0.0.1.8080", 42, 77);
        PacketRow peer = row(2, "In", "127.0.0.1.40000", "127.0.0.1.8080", 43, 78); // the server's copy on loopback
        List<WindowEvent> got = l.take(List.of(mine, peer));
        assertEquals(1, got.size());
        assertEquals("p1 22:13:20.123456790 - curl (43) out pkt if=lo len=60 127.0.0.1.40000 > 127.0.0.1.8080 flags=[S] "
                + "seq 1, win 65495, length 0", got.get(0).line());
        assertTrue(got.get(0).isPacket());
        assertEquals(T + 1, got.get(0).timeNanos());
        assertEquals(List.of(), l.take(List.of(mine, peer)), "a later snapshot's history holds them again: taken once");
    }

    @Test
    void aFilesConnectionTakesItsTupleEitherWayRoundOfItsProcess() {
        WindowSelection sel = WindowSelection.connection(42, "::1:40000->::1:8080", 0, "x");
        PacketLine l = new PacketLine(sel, ZoneOffset.UTC);
        assertTrue(l.belongs(row(1, "Out", "::1.40000", "::1.8080", 42, 0)));
        assertTrue(l.belongs(row(2, "In", "::1.8080", "::1.40000", 42, 0)));
        assertTrue(l.belongs(row(3, "In", "::1.8080", "::1.40000", 0, 0)), "an owner the file does not name");
        assertFalse(l.belongs(row(4, "In", "::1.40000", "::1.8080", 43, 0)), "the peer's copy");
        assertFalse(l.belongs(row(5, "Out", "::1.40001", "::1.8080", 42, 0)), "another port");
        assertFalse(new PacketLine(WindowSelection.processes(Set.of(42L), "x"), ZoneOffset.UTC)
                .belongs(row(6, "Out", "::1.40000", "::1.8080", 42, 0)), "a process is no connection");
    }
}
