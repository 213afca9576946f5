// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.ScapWindowSource;
import io.wiretop.window.WindowSelection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Echo (three modes), Dig and Spectrogram on curl_google.scap's curl process, through the real UI
 * loop: the keys open them on the selected row, the screens at 80x24 and 120x40 are golden, and
 * the window's own keys (F2 View As, search, clear, Backspace) do what csysdig's do.
 */
class EventWindowScreenTest {
    private UiHarness h;
    private final List<EventWindowSource> opened = new ArrayList<>();
    private final List<WindowSelection> selections = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static final String CURL_LOCAL = "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e";
    static final String GOOGLE = "2607:f8b0:4004:802::2004";

    /** The curl row of the replay (pid 17497), and its HTTP connection. */
    static Snapshot curl(long seq) {
        List<Row> procs = List.of(Fixtures.proc(1, "root", 0, "/sbin/init"),
                Fixtures.proc(17497, "ubuntu", 11000, "curl -6 http://www.google.com"));
        List<Row> conns = List.of(new ConnectionRow(17497, 1, "curl", "curl -6 http://www.google.com", 99, "tcp",
                CURL_LOCAL, 37140, GOOGLE, 80, false, 11502, 78, 3, 1, null));
        return new Snapshot(seq, seq * 1_000_000_000L, 1.0, Map.of(Snapshot.PROCESSES, procs,
                Snapshot.CONNECTIONS, conns), Losses.NONE, "curl_google.scap (1536 evts, 8.00s)");
    }

    /** A harness whose windows read the fixture, each to its end before the window opens (stable screens). */
    private UiHarness harness(int cols, int rows, boolean connections) throws Exception {
        h = new UiHarness(cols, rows);
        Path file = ScapFixtures.path("curl_google");
        h.c.zone = ZoneOffset.UTC;
        h.c.windowSources = (sel, enters, zone) -> {
            selections.add(sel);
            ScapWindowSource s = ScapWindowSource.start(file, sel, zone);
            s.await(30_000);
            opened.add(s);
            return s;
        };
        h.publish(curl(1));
        h.key(KeyType.End); // curl: the second row either way the table sorts
        if (!h.c.selectedRow().value("proc.pid").equals(17497L)) {
            h.key(KeyType.Home);
        }
        assertEquals(17497L, h.c.selectedRow().value("proc.pid"));
        if (connections) {
            h.key(KeyType.Enter); // Processes -> Connections of curl
            assertEquals("connections", h.c.cur.view.id());
        }
        return h;
    }

    private String open(char key) throws Exception {
        h.ch(key);
        h.loop.step(0);
        assertNotNull(h.c.window, "the window opened");
        return h.text();
    }

    @Test
    void echoInItsThreeModesAt80x24() throws Exception {
        harness(80, 24, false);
        Golden.check("echo_printable_80x24", open('e'));
        assertEquals("proc.pid=17497", selections.get(0).text());
        h.key(KeyType.F2);
        h.loop.step(0);
        Golden.check("echo_dotted_80x24", h.text());
        h.key(KeyType.F2);
        h.loop.step(0);
        Golden.check("echo_hex_80x24", h.text());
        h.key(KeyType.F2);
        assertTrue(h.text().contains("View As: Printable ASCII"), "F2 cycles back: " + h.text());
    }

    @Test
    void echoInItsThreeModesAt120x40() throws Exception {
        harness(120, 40, false);
        Golden.check("echo_printable_120x40", open('e'));
        h.key(KeyType.F2);
        Golden.check("echo_dotted_120x40", h.text());
        h.key(KeyType.F2);
        Golden.check("echo_hex_120x40", h.text());
    }

    @Test
    void digAt80x24And120x40() throws Exception {
        harness(80, 24, false);
        open('d');
        assertTrue(h.line(21).startsWith("1431 17:35:48.588309095 0 curl (17497) > procexit"), "follows the end: " + h.text());
        h.key(KeyType.Home);
        Golden.check("dig_80x24", h.text());
        h.keys(new KeyStroke('g', true, false));
        assertTrue(h.line(23).contains("Go to line:"), h.line(23));
        h.type("x").key(KeyType.Backspace); // typed, corrected
        h.type("5");
        h.key(KeyType.Enter);
        assertTrue(h.line(2).startsWith("215 "), "Ctrl+G 5: the fifth line on top: " + h.line(2));
        h.keys(new KeyStroke('g', true, false));
        h.type("abc");
        h.key(KeyType.Enter);
        assertTrue(h.text().contains("not a line number: abc"), h.text());
        assertTrue(h.line(2).startsWith("215 "), "stays: " + h.line(2));
        h.key(KeyType.Home);
        assertTrue(h.line(2).startsWith("211 17:35:48.514632619 0 curl (17497) < execve res=0 exe=curl"), h.line(2));
        h.close();
        h = null;
        harness(120, 40, false);
        open('d');
        h.key(KeyType.Home);
        Golden.check("dig_120x40", h.text());
    }

    @Test
    void spectrogramAt80x24And120x40() throws Exception {
        harness(80, 24, false);
        Golden.check("spectro_80x24", open2(KeyType.F12));
        h.close();
        h = null;
        harness(120, 40, false);
        Golden.check("spectro_120x40", open2(KeyType.F12));
    }

    private String open2(KeyType t) throws Exception {
        h.key(t);
        h.loop.step(0);
        assertNotNull(h.c.window, "the window opened");
        return h.text();
    }

    @Test
    void echoOnAConnectionShowsThatSocketOnly() throws Exception {
        harness(120, 40, true);
        String screen = open('e');
        assertEquals(CURL_LOCAL + ":37140->" + GOOGLE + ":80", selections.get(0).fdName());
        assertTrue(screen.contains("------ Write 78B to " + CURL_LOCAL + ":37140->" + GOOGLE + ":80 (curl)"), screen);
        assertFalse(screen.contains("libcurl"), "no file reads of the process: " + screen);
        assertEquals(4, screen.lines().filter(l -> l.startsWith("------ ")).count(), "its four I/O exits: " + screen);
    }

    @Test
    void searchClearAndBackspace() throws Exception {
        harness(80, 24, false);
        open('e');
        h.ch('/');
        h.type("User-Agent");
        h.key(KeyType.Enter);
        assertTrue(h.line(2).startsWith("User-Agent: curl/7.47.0"), "the found line on top: " + h.text());
        h.ch('c');
        h.loop.step(0);
        assertTrue(h.line(23).endsWith("0/0(0.0%)"), "cleared: " + h.line(23));
        h.key(KeyType.Backspace);
        assertNull(h.c.window, "Backspace closes the window");
        assertTrue(h.text().startsWith("Viewing: Processes"), "back on the table: " + h.text());
        assertTrue(((ScapWindowSource) opened.get(0)).finished(), "its source was read and closed");
    }
}
