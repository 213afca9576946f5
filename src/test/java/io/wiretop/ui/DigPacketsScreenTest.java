// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyType;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.ScapWindowSource;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dig on a live connection through the real UI loop: the window asks the engine for its socket's
 * packets (the cookie joins the packet selection), takes them from the snapshots, and shows each
 * among the syscalls where its time puts it; the screens at 80x24 and 120x40 are golden. The
 * syscalls are curl_google.scap's (the curl connection), delivered by a source that says its
 * packets come from the capture, as the live one does; the packets are stamped between them.
 */
class DigPacketsScreenTest {
    private UiHarness h;
    private static final long COOKIE = 99; // the curl connection's row in EventWindowScreenTest.curl

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** A replay source that, like the live one, leaves a connection's packets to the capture. */
    private static EventWindowSource live(ScapWindowSource s) {
        return new EventWindowSource() {
            public List<List<WindowEvent>> drain() {
                return s.drain();
            }

            public boolean finished() {
                return s.finished();
            }

            public String failure() {
                return s.failure();
            }

            public boolean packetsFromCapture() {
                return true;
            }

            public void close() {
                s.close();
            }
        };
    }

    /** The syscall events Dig shows for the connection, to stamp the packets between them. */
    private static List<WindowEvent> syscalls(Path file, WindowSelection sel) throws Exception {
        ScapWindowSource s = ScapWindowSource.start(file, sel, ZoneOffset.UTC);
        s.await(30_000);
        List<WindowEvent> out = new ArrayList<>();
        s.drain().forEach(out::addAll);
        return out;
    }

    private static PacketRow packet(long seq, long ts, String dir, String src, String dst, long len, String flags, String info)
            throws Exception {
        CapturedPacket raw = PacketFixtures.sample().get(0);
        CapturedPacket p = new CapturedPacket(ts, "eth0", raw.linkType(), raw.data(), raw.origLen(),
                "Out".equals(dir) ? Direction.OUT : Direction.IN, raw.context(), List.of(), COOKIE);
        return new PacketRow(seq, "", dir, "eth0", "tcp", src, dst, len, flags, info, 17497, 17497, "curl", COOKIE, p);
    }

    private void dig(int cols, int rows, String golden) throws Exception {
        h = new UiHarness(cols, rows);
        Path file = ScapFixtures.path("curl_google");
        h.c.zone = ZoneOffset.UTC;
        List<WindowSelection> selections = new ArrayList<>();
        h.c.windowSources = (sel, enters, zone) -> {
            selections.add(sel);
            ScapWindowSource s = ScapWindowSource.start(file, sel, zone);
            s.await(30_000);
            return live(s);
        };
        h.publish(EventWindowScreenTest.curl(1));
        h.key(KeyType.End);
        if (!h.c.selectedRow().value("proc.pid").equals(17497L)) {
            h.key(KeyType.Home);
        }
        h.key(KeyType.Enter); // Processes -> Connections of curl
        assertEquals("connections", h.c.cur.view.id());
        assertEquals(PacketSelection.NONE, h.c.packetSelection(), "no packets wanted before the window opens");
        h.ch('d');
        h.loop.step(0);
        assertNotNull(h.c.window, "the window opened");
        WindowSelection sel = selections.get(0);
        assertEquals(EventWindowScreenTest.CURL_LOCAL + ":37140->" + EventWindowScreenTest.GOOGLE + ":80", sel.fdName());
        assertEquals(0, sel.cookie(), "this view's rows name no cookie (views/connections.yaml's do: PacketLineTest)");
        assertEquals(new PacketSelection(false, java.util.Set.of(17497L), java.util.Set.of()), h.c.packetSelection(),
                "Dig on a connection wants its process's packets (no cookie), the window keeping the connection's");
        List<WindowEvent> sys = syscalls(file, sel);
        // the connect enter names no connection yet (its fd is unnamed): the window starts at its exit
        long connectExit = sys.stream().filter(w -> w.line().contains("< connect")).findFirst().orElseThrow().timeNanos();
        long writeEnter = sys.stream().filter(w -> w.line().matches(".* > (write|sendto) .*")).findFirst().orElseThrow()
                .timeNanos(); // curl sends its request with sendto
        String local = EventWindowScreenTest.CURL_LOCAL + ".37140", remote = EventWindowScreenTest.GOOGLE + ".80";
        // delivered late and out of order (a later snapshot), as the engine's interval delivers them
        List<PacketRow> pkts = List.of(
                packet(7, connectExit - 1000, "Out", local, remote, 80, "[S]", "seq 1, win 65535, length 0"),
                packet(8, writeEnter + 1000, "Out", local, remote, 158, "[P.]", "seq 1:79, ack 1, win 512, length 78"),
                packet(9, writeEnter + 1500, "In", remote, local, 72, "[.]", "ack 79, win 256, length 0"));
        Snapshot base = EventWindowScreenTest.curl(2);
        Map<String, List<? extends Row>> sources = new HashMap<>(base.sources());
        sources.put(Snapshot.PACKETS, pkts);
        h.publish(new Snapshot(2, base.monoNanos(), 1.0, sources, Losses.NONE, base.sourceLabel()));
        h.key(KeyType.Home);
        String screen = h.text();
        List<String> lines = screen.lines().toList();
        int syn = index(lines, "out pkt"), connX = index(lines, "< connect");
        assertTrue(syn > 0 && syn + 1 == connX, "SYN just before connect's exit:\n" + screen);
        assertTrue(lines.get(syn).startsWith("p7 "), lines.get(syn));
        int write = index(lines, "> sendto"), data = index(lines, "p8 "), ack = index(lines, "p9 "),
                writeX = index(lines, "< sendto");
        assertTrue(write >= 0 && write + 1 == data && data + 1 == ack && ack + 1 == writeX,
                "the data and its ack inside sendto:\n" + screen);
        Golden.check(golden, screen);
        // the same packets again (the next snapshot's history still holds them): shown once
        h.publish(new Snapshot(3, base.monoNanos() + 1, 1.0, sources, Losses.NONE, base.sourceLabel()));
        assertEquals(1, h.text().lines().filter(l -> l.startsWith("p7 ")).count(), h.text());
    }

    private static int index(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void digOnALiveConnectionInterleavesItsPacketsAt120x40() throws Exception {
        dig(120, 40, "dig_packets_120x40");
    }

    @Test
    void digOnALiveConnectionInterleavesItsPacketsAt80x24() throws Exception {
        dig(80, 24, "dig_packets_80x24");
    }
}
