// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyType;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Snapshot;
import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Packets list and the decoded-packet page on the virtual terminal, over real packets of a pcap file. */
class PacketUiTest {
    private UiHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private UiHarness packets(int cols, int rows) throws Exception {
        List<io.wiretop.view.ViewDef> views = new ArrayList<>(Fixtures.views());
        views.add(PacketFixtures.packetsView());
        return new UiHarness(cols, rows, Views.of(views), PacketFixtures.packetsView());
    }

    @Test
    void aViewWhoseCollectorIsOffNamesTheOptionThatTurnsItOn() throws Exception {
        h = packets(120, 40);
        h.source.available = Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS); // a feed without packets
        h.publish(Fixtures.snapshot(1)); // no packets source: the packet hooks are off
        assertTrue(h.text().contains("No Data For This View: not collected (start wiretop with -W (--wire))"),
                h.text());
    }

    @Test
    void aViewWhoseCollectorAttachesOnDemandSaysSo() throws Exception {
        h = packets(120, 40).publish(Fixtures.snapshot(1)); // live: the hooks attach now, no packets source yet
        assertTrue(h.text().contains("No Data For This View: its collector is attaching"), h.text());
        assertFalse(h.text().contains("start wiretop with"), h.text());
    }

    @Test
    void listFollowsTheNewestPacket() throws Exception {
        h = packets(120, 40).publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        Golden.check("packets_120x40", h.text());
        assertEquals(PacketSelection.ALL, h.source.lastPacketWant(), "machine-wide list asks for every packet");
        assertEquals(30, h.c.cur.selected, "newest (last) packet selected");
        assertTrue(h.line(h.c.cur.selected - h.c.cur.top + 3).contains("icmp6"), h.text());

        // 10 more packets arrive, the 5 oldest fall out of the history: still on the newest
        h.publish(PacketFixtures.snapshot(2, PacketFixtures.rows(6, 36)));
        assertEquals("41", h.c.selectedRow().key());
        assertTrue(h.c.cur.follow);
    }

    @Test
    void movingUpStopsFollowingAndEndResumes() throws Exception {
        h = packets(120, 40).publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.key(KeyType.ArrowUp).key(KeyType.ArrowUp);
        assertEquals("29", h.c.selectedRow().key());
        assertFalse(h.c.cur.follow);
        h.publish(PacketFixtures.snapshot(2, PacketFixtures.rows(6, 36)));
        assertEquals("29", h.c.selectedRow().key(), "selection stays on the same packet while the list scrolls");
        assertEquals(23, h.c.cur.selected);
        h.key(KeyType.End);
        assertTrue(h.c.cur.follow);
        h.publish(PacketFixtures.snapshot(3, PacketFixtures.rows(10, 36)));
        assertEquals("45", h.c.selectedRow().key());
    }

    @Test
    void pauseFreezesTheListAndClearHidesWhatWasListed() throws Exception {
        h = packets(120, 40).publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.ch('p').publish(PacketFixtures.snapshot(2, PacketFixtures.rows(6, 36)));
        assertEquals("31", h.c.selectedRow().key(), "paused: the new snapshot is not taken");
        assertTrue(h.line(0).contains("PAUSED"));
        h.ch('p').loop.step(0);
        assertEquals("41", h.c.selectedRow().key());
        h.key(KeyType.F9);
        assertNull(h.c.menu, "no sort menu on a list");
        assertTrue(h.c.message().contains("cannot be sorted"), h.c.message());
        h.ch('#'); // Shift+3
        assertNull(h.c.cur.sortColumn);
        assertEquals("41", h.c.selectedRow().key(), "still in capture order, newest last");
        h.c.execute(Command.CLEAR);
        assertTrue(h.c.rows().isEmpty(), "cleared");
        h.publish(PacketFixtures.snapshot(3, PacketFixtures.rows(10, 36)));
        assertEquals(4, h.c.rows().size(), "only packets 42..45 arrived since the clear");
        assertEquals("42", h.c.rows().get(0).key());
    }

    @Test
    void enterDecodesThePacketAndBackspaceReturnsToIt() throws Exception {
        h = packets(100, 60).publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.key(KeyType.Home).key(KeyType.ArrowDown).key(KeyType.ArrowDown).key(KeyType.ArrowDown);
        assertEquals("4", h.c.selectedRow().key(), "the HTTP GET");
        h.key(KeyType.Enter);
        assertNotNull(h.c.page);
        Golden.check("packet_http_100x60", h.text());
        String text = h.text();
        assertTrue(text.contains("GET /index.html HTTP/1.1"), text);
        assertTrue(text.contains("TTL 64, protocol 6 (TCP)"), text);
        assertTrue(text.contains("PID 1500, command /usr/bin/curl"), text);
        assertTrue(text.contains("0x0000:  0000 0000 0000 0000 0000 0000 0800 4500  ..............E."), text);
        h.key(KeyType.Backspace);
        assertNull(h.c.page);
        assertEquals("4", h.c.selectedRow().key(), "selection kept");
        h.publish(PacketFixtures.snapshot(2, PacketFixtures.rows(2, 31)));
        assertEquals("4", h.c.selectedRow().key(), "not following after a packet was opened");
    }

    @Test
    void dnsAndIcmp6PagesScroll() throws Exception {
        List<PacketRow> rows = PacketFixtures.rows(1, 31);
        h = packets(80, 40).publish(PacketFixtures.snapshot(1, rows));
        h.c.moveTo(11); // DNS response
        h.key(KeyType.Enter);
        Golden.check("packet_dns_80x40", h.text());
        assertTrue(h.text().contains("Answer example.com. A ttl"), h.text());
        int lines = h.c.page.lines.size();
        h.key(KeyType.PageDown);
        assertTrue(h.c.page.top > 0 && h.c.page.top <= lines, "scrolled");
        h.key(KeyType.Backspace);
        h.c.moveTo(16); // IPv6 ICMP port unreachable
        h.key(KeyType.Enter);
        String t = h.text();
        assertTrue(t.contains("ICMPv6"), t);
        assertTrue(t.contains("Type 1 (destination unreachable), code 4"), t);
        assertTrue(t.contains("Hop limit".toLowerCase()) || t.contains("hop limit 64"), t);
        assertTrue(t.contains("Quoted packet"), t);
        assertTrue(t.contains("Container web id 4f1c2a9d3e7b image nginx:1.25"), t);
    }

    @Test
    void aMadeUpEthernetHeaderIsLeftOutOfLengthsAndDump() throws Exception {
        io.wiretop.decode.CapturedPacket raw = PacketFixtures.sample().get(3);
        byte[] data = raw.data().clone();
        data[5] = 2;  // destination 00:00:00:00:00:02
        data[11] = 1; // source 00:00:00:00:00:01: what an IP-level capture writes, as ptcpdump does
        PacketRow row = PacketFixtures.row(4, new io.wiretop.decode.CapturedPacket(raw.tsNanos(), "lo", raw.linkType(),
                data, raw.origLen(), raw.direction(), raw.context(), raw.comments()));
        String text = String.join("\n", PacketDetail.lines(row));
        assertTrue(text.contains("Ethernet (made up: the packet was captured at the IP level)"), text);
        assertTrue(text.contains("Length on the wire 97 bytes, captured 97 bytes"), text);
        assertTrue(text.contains("Hex dump (97 captured bytes, from the IP header)\n  0x0000:  4500 0061"), text);
        assertTrue(text.contains("Payload 45 bytes, at offset 52 of the dump"), text);
    }

    @Test
    void httpFirstLineIsFoundOnAnyPort() throws Exception {
        io.wiretop.decode.CapturedPacket get = PacketFixtures.sample().get(3);
        byte[] data = get.data().clone();
        data[36] = 0x46; // destination port 8080 -> 18080, a port tcpdump does not decode HTTP on
        data[37] = (byte) 0xa0;
        io.wiretop.decode.DecodedPacket d = io.wiretop.decode.PacketDecoder.decode(get.linkType(), data, get.origLen());
        assertEquals(18080, d.dstPort());
        assertEquals("GET /index.html HTTP/1.1", PacketDetail.httpFirstLine(d));
        assertEquals("HTTP/1.0 200 OK", PacketDetail.httpFirstLine(PacketFixtures.sample().get(5).decode()));
        assertNull(PacketDetail.httpFirstLine(PacketFixtures.sample().get(20).decode()), "12 bytes of non-HTTP payload");
        assertNull(PacketDetail.httpFirstLine(PacketFixtures.sample().get(0).decode()), "a SYN has no payload");
    }

    /** Processes → Enter → Connections → Enter → Packets asks the kernel for that socket only; back: none. */
    @Test
    void drillDownAsksForTheSelectedPacketsAndNoneAfterwards() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        h = new UiHarness(120, 40, Views.of(reg::get, reg::applicableTo), reg.get("procs"));
        h.publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        assertEquals(PacketSelection.NONE, h.source.lastPacketWant(), "Processes shows no packets");
        assertEquals(Set.of("processes"), h.source.wants.get(h.source.wants.size() - 1));

        h.type("/curl").key(KeyType.Enter); // search selects curl, pid 1500
        assertEquals("1500", h.c.selectedRow().key());
        h.key(KeyType.Enter);
        assertEquals("connections", h.c.cur.view.id());
        assertEquals(PacketSelection.NONE, h.source.lastPacketWant());
        h.key(KeyType.Enter);
        assertEquals("packets", h.c.cur.view.id());
        assertEquals(new PacketSelection(false, Set.of(), Set.of(PacketFixtures.CURL_COOKIE)), h.source.lastPacketWant());
        assertEquals(Set.of("packets"), h.source.wants.get(h.source.wants.size() - 1));
        assertEquals(10, h.c.rows().size(), "the 10 IPv4 TCP packets of curl's socket, no other packet");
        // the chain names proc.pid once, though the connection's composite key repeats it
        assertEquals("Viewing: Packets For: proc.pid=1500 and fd.cookie=" + PacketFixtures.CURL_COOKIE,
                h.line(0).strip());
        int asked = h.source.packetWants.size();
        h.publish(PacketFixtures.snapshot(2, PacketFixtures.rows(1, 31)));
        assertEquals(asked, h.source.packetWants.size(), "asked once, not on every refresh");

        h.key(KeyType.Backspace);
        assertEquals("connections", h.c.cur.view.id());
        assertEquals(PacketSelection.NONE, h.source.lastPacketWant(), "no packets view: nothing leaves the kernel");
        h.key(KeyType.Backspace);
        assertEquals("procs", h.c.cur.view.id());
        assertEquals(PacketSelection.NONE, h.source.lastPacketWant());

        // Processes → Enter → F2 Packets: the process's packets
        h.key(KeyType.Enter);
        assertEquals("connections", h.c.cur.view.id());
        assertTrue(h.c.views.applicableTo(h.c.selectionField()).stream().anyMatch(v -> v.id().equals("packets")),
                "F2 offers Packets for a process");
        h.c.switchView(reg.get("packets"));
        h.loop.step(0);
        assertEquals(new PacketSelection(false, Set.of(1500L), Set.of()), h.source.lastPacketWant());
        assertEquals(10, h.c.rows().size());

        // top level F2 Packets: every packet
        h.key(KeyType.Backspace);
        h.c.switchView(reg.get("packets"));
        h.loop.step(0);
        assertEquals(PacketSelection.ALL, h.source.lastPacketWant(), "top-level Packets: every packet");
        assertEquals(31, h.c.rows().size());
    }
}
