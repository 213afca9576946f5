// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyType;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.model.ThreadRow;
import io.wiretop.view.ViewRegistry;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What F5/F6/F12 select on the rows of the real views: a connection (its tuple and socket cookie;
 * Dig on it asks the kernel for that socket's packets), a packet's connection, a container's
 * processes, one thread.
 */
class WindowSelectionUiTest {
    private UiHarness h;
    private final List<WindowSelection> opened = new ArrayList<>();
    /** Whether each opened window asked for the enter events (the live stream's sys_enter hook). */
    private final List<Boolean> enters = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** A live-like source: its connection packets come from the capture; it delivers nothing itself. */
    private static EventWindowSource empty() {
        return new EventWindowSource() {
            public List<List<WindowEvent>> drain() {
                return List.of();
            }

            public boolean finished() {
                return false;
            }

            public String failure() {
                return null;
            }

            public boolean packetsFromCapture() {
                return true;
            }

            public void close() {
            }
        };
    }

    private void harness(String view) throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        h = new UiHarness(120, 40, Views.of(reg::get, reg::applicableTo), reg.get(view));
        h.c.windowSources = (sel, wantsEnters, zone) -> {
            opened.add(sel);
            enters.add(wantsEnters);
            return empty();
        };
    }

    @Test
    void digOnAConnectionSelectsItsTupleAndAsksForItsSocketsPackets() throws Exception {
        harness("procs");
        h.publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.type("/curl").key(KeyType.Enter);
        h.key(KeyType.Enter);
        assertEquals("connections", h.c.cur.view.id());
        h.ch('d');
        assertNotNull(h.c.window);
        WindowSelection sel = opened.get(0);
        assertEquals("10.0.0.2:41234->93.184.216.34:80", sel.fdName());
        assertEquals(PacketFixtures.CURL_COOKIE, sel.cookie());
        assertEquals(Set.of(1500L), sel.pids());
        h.publish(PacketFixtures.snapshot(2, PacketFixtures.rows(1, 31)));
        assertEquals(new PacketSelection(false, Set.of(), Set.of(PacketFixtures.CURL_COOKIE)), h.source.lastPacketWant(),
                "the window's socket, selected in the kernel");
        h.key(KeyType.Backspace); // closes the window: its packets are no longer wanted
        h.publish(PacketFixtures.snapshot(3, PacketFixtures.rows(1, 31)));
        assertEquals(PacketSelection.NONE, h.source.lastPacketWant());
    }

    /** Echo asks for exits only (its stream attaches sys_exit alone); Dig and Spectrogram for the enters too. */
    @Test
    void onlyEchoDoesWithoutTheEnterEvents() throws Exception {
        harness("procs");
        h.publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.type("/curl").key(KeyType.Enter);
        h.key(KeyType.F5);
        assertNotNull(h.c.window);
        assertEquals("Echo", h.c.window.kind.label);
        h.key(KeyType.Backspace);
        h.key(KeyType.F6);
        assertEquals("Dig", h.c.window.kind.label);
        h.key(KeyType.Backspace);
        h.key(KeyType.F12);
        assertEquals("Spectrogram", h.c.window.kind.label);
        assertEquals(List.of(false, true, true), enters);
    }

    @Test
    void aPacketRowSelectsItsConnection() throws Exception {
        harness("procs");
        h.publish(PacketFixtures.snapshot(1, PacketFixtures.rows(1, 31)));
        h.type("/curl").key(KeyType.Enter);
        h.key(KeyType.Enter).key(KeyType.Enter);
        assertEquals("packets", h.c.cur.view.id());
        h.key(KeyType.Home);
        h.ch('d');
        WindowSelection sel = opened.get(0);
        assertTrue(sel.isConnection(), sel.toString());
        assertEquals(PacketFixtures.CURL_COOKIE, sel.cookie());
        // the packet's own addresses (the fixture's packets are sample-lo.pcap's, given curl's cookie)
        String src = (String) h.c.selectedRow().value("pkt.src"), dst = (String) h.c.selectedRow().value("pkt.dst");
        assertEquals(src.substring(0, src.lastIndexOf('.')) + ":" + src.substring(src.lastIndexOf('.') + 1) + "->"
                + dst.substring(0, dst.lastIndexOf('.')) + ":" + dst.substring(dst.lastIndexOf('.') + 1), sel.fdName());
        assertTrue(sel.fdName().matches("127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+"), sel.fdName());
    }

    @Test
    void aContainerRowSelectsItsProcesses() throws Exception {
        harness("containers");
        List<Row> procs = List.of(proc(10, "4f1c2a9d3e7b"), proc(11, "4f1c2a9d3e7b"), proc(12, "host"), proc(13, "aaaaaaaaaaaa"));
        h.publish(new Snapshot(1, 1, 1.0, Map.of(Snapshot.PROCESSES, procs), Losses.NONE, "Live System"));
        h.type("/4f1c").key(KeyType.Enter);
        h.ch('e');
        WindowSelection sel = opened.get(0);
        assertEquals("4f1c2a9d3e7b", sel.containerId());
        assertEquals(Set.of(10L, 11L), sel.pids());
        assertEquals("container.id=4f1c2a9d3e7b", sel.text());
    }

    @Test
    void aThreadRowSelectsThatThread() throws Exception {
        harness("threads");
        List<Row> threads = List.of(new ThreadRow(20, 20, "app", "app", 1.0), new ThreadRow(20, 21, "worker", "app", 50.0));
        h.publish(new Snapshot(1, 1, 1.0, Map.of(Snapshot.THREADS, threads), Losses.NONE, "Live System"));
        h.type("/worker").key(KeyType.Enter);
        h.key(KeyType.F12);
        WindowSelection sel = opened.get(0);
        assertEquals(21, sel.tid());
        assertEquals(Set.of(20L), sel.pids());
        assertEquals("thread.tid=21", sel.text());
    }

    private static ProcessRow proc(long pid, String container) {
        return new ProcessRow(pid, 1, 1000 + pid, "app", "app", "root", 0, 1, 1 << 20, 1 << 20, 1.0, 10, 10, 0, 0, 10,
                container, false, 0, 0);
    }
}
