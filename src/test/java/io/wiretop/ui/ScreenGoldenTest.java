// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.input.MouseAction;
import com.googlecode.lanterna.input.MouseActionType;
import io.wiretop.model.Losses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden screens of the real UI loop on a virtual terminal, driven by keys. */
class ScreenGoldenTest {
    private UiHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void collectingDataBeforeFirstSnapshot() throws Exception {
        h = new UiHarness(80, 24);
        Golden.check("collecting_80x24", h.text());
    }

    @Test
    void processesAt80x24SortedByNet() throws Exception {
        h = new UiHarness(80, 24).publish(1);
        Golden.check("procs_80x24", h.text());
        assertTrue(h.line(3).contains("iperf3"), "busiest process first");
        assertTrue(h.has(0, 3, SGR.REVERSE), "selected row highlighted without colours");
        int net = h.line(2).indexOf("NET");
        assertTrue(h.has(net, 2, SGR.BOLD), "sort column marked");
    }

    @Test
    void processesAt120x40() throws Exception {
        h = new UiHarness(120, 40).publish(1);
        Golden.check("procs_120x40", h.text());
    }

    @Test
    void sortByColumnAndReverse() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('!');
        Golden.check("sort_pid_desc_80x24", h.text());
        assertTrue(h.line(3).contains("3101"));
        h.ch('!');
        assertTrue(h.line(3).trim().startsWith("1 "), "second press reverses: " + h.line(3));
        h.ch('$'); // USER is text: ascending first
        assertTrue(h.line(3).contains("alice"), h.line(3));
    }

    @Test
    void sortMenu() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F9);
        Golden.check("sort_menu_80x24", h.text());
        h.key(KeyType.ArrowUp).key(KeyType.Enter); // RES, just above NET
        assertEquals("RES", h.c.cur.sortColumn);
        assertTrue(h.line(2).contains("\u25BERES"), h.line(2));
    }

    @Test
    void freeTextFilter() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('\\').type("nginx");
        Golden.check("filter_text_prompt_80x24", h.text());
        h.key(KeyType.Enter);
        Golden.check("filter_text_80x24", h.text());
        assertEquals(2, h.c.rows().size());
    }

    @Test
    void invalidExpressionShowsErrorAndChangesNothing() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('\\').key(KeyType.Tab).type("proc.pid > 1000 and proc.nme = x")
                .key(KeyType.Enter);
        Golden.check("filter_invalid_80x24", h.text());
        assertEquals(12, h.c.rows().size(), "invalid filter changes nothing");
        assertTrue(h.c.prompt != null, "prompt stays open to fix the expression");
        h.key(KeyType.Escape);
        assertTrue(h.line(1).contains("Filter: none"), h.line(1));
    }

    @Test
    void validExpression() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F4).key(KeyType.F2)
                .type("user.name = bob or proc.pid < 100").key(KeyType.Enter);
        Golden.check("filter_expression_80x24", h.text());
        assertEquals(4, h.c.rows().size());
    }

    @Test
    void searchAndNext() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('/').type("nginx");
        Golden.check("search_prompt_80x24", h.text());
        h.key(KeyType.Enter);
        assertEquals("733", h.c.selectedRow().key());
        h.key(KeyType.F3);
        assertEquals("734", h.c.selectedRow().key());
        h.key(KeyType.F3);
        assertEquals("733", h.c.selectedRow().key(), "wraps around");
    }

    @Test
    void drillDownAndBack() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('!'); // PID descending; selection stays on 2210 (row 4)
        h.key(KeyType.ArrowDown).key(KeyType.ArrowDown).key(KeyType.ArrowDown);
        String before = h.c.selectedRow().key();
        assertEquals("1500", before);
        h.key(KeyType.Enter);
        Golden.check("drill_connections_80x24", h.text());
        assertTrue(h.line(0).contains("For: proc.pid=" + before), h.line(0));
        h.key(KeyType.Backspace);
        assertEquals(before, h.c.selectedRow().key(), "selection restored");
        assertEquals("PID", h.c.cur.sortColumn, "sort restored");
        assertFalse(h.c.cur.ascending, "direction restored");
        assertTrue(h.line(0).contains("For: whole machine"));
    }

    @Test
    void viewPickerAndSwitch() throws Exception {
        h = new UiHarness(120, 40).publish(1).key(KeyType.F2);
        Golden.check("views_menu_120x40", h.text());
        h.key(KeyType.ArrowUp).key(KeyType.Enter);
        Golden.check("connections_120x40", h.text());
        assertEquals("connections", h.c.cur.view.id());
    }

    @Test
    void pauseFreezesData() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('p');
        Golden.check("paused_80x24", h.text());
        h.source.publish(Fixtures.snapshot(2, Losses.NONE, 1));
        h.loop.step(0);
        assertEquals(1, h.c.snapshot.seq(), "paused: new snapshot not taken");
        h.ch('p');
        assertEquals(2, h.c.snapshot.seq());
        assertEquals("1", h.c.rows().get(0).key(), "boosted pid 1 now first");
    }

    @Test
    void selectionFollowsKeyAcrossResort() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.ArrowDown).key(KeyType.ArrowDown);
        assertEquals("734", h.c.selectedRow().key());
        h.source.publish(Fixtures.snapshot(2, Losses.NONE, 734));
        h.loop.step(0);
        assertEquals("734", h.c.selectedRow().key());
        assertEquals(0, h.c.cur.selected, "row moved to the top, selection followed it");
    }

    @Test
    void helpPage() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F1);
        Golden.check("help_80x24", h.text());
        h.ch('x');
        assertTrue(h.line(0).startsWith("Viewing:"), "any key returns");
    }

    @Test
    void legendPage() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F7);
        Golden.check("legend_80x24", h.text());
    }

    @Test
    void resizeLargerAndTooSmall() throws Exception {
        h = new UiHarness(80, 24).publish(1).resize(120, 40);
        Golden.check("resized_120x40", h.text());
        h.resize(30, 5);
        Golden.check("too_small_30x5", h.text());
        h.resize(80, 24);
        assertTrue(h.line(0).startsWith("Viewing: Processes"));
    }

    @Test
    void lostEventsShown() throws Exception {
        h = new UiHarness(100, 24);
        h.source.publish(Fixtures.snapshot(1, new Losses(12, 0, 3, 0), 0));
        h.loop.step(0);
        assertTrue(h.line(1).contains("LOST 15 events (ring buffer full 12, syscall map full 3)"), h.line(1));
    }

    @Test
    void actionRunsWithSubstitutionAndReadonlyRefuses() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('k');
        assertEquals(java.util.List.of("kill 2210"), h.ran);
        h.key(KeyType.F8).key(KeyType.ArrowDown).key(KeyType.Enter);
        assertEquals("lsof -p 2210", h.ran.get(1));
        h.close();
        h = new UiHarness(80, 24, "default", true, ColorMode.NONE).publish(1).ch('k');
        assertTrue(h.ran.isEmpty());
        Golden.check("readonly_action_80x24", h.text());
    }

    @Test
    void windowsWithoutAnEventSourceSaySo() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F5);
        assertTrue(h.line(22).contains("Echo window: not available on this source"), h.line(22));
        assertNull(h.c.window);
        h.ch('d');
        assertTrue(h.line(22).contains("Dig window: not available on this source"), h.line(22));
        h.clock.addAndGet(UiController.MESSAGE_MILLIS + 1);
        h.loop.step(0);
        assertFalse(h.line(22).contains("not available"), "message expires");
    }

    @Test
    void mouseSortSelectAndDoubleClick() throws Exception {
        h = new UiHarness(80, 24).publish(1);
        h.keys(new MouseAction(MouseActionType.CLICK_DOWN, 1, new TerminalPosition(2, 2))); // PID header
        assertEquals("PID", h.c.cur.sortColumn);
        h.keys(new MouseAction(MouseActionType.CLICK_DOWN, 1, new TerminalPosition(10, 6)));
        assertEquals(3, h.c.cur.selected);
        h.clock.addAndGet(100);
        h.keys(new MouseAction(MouseActionType.CLICK_DOWN, 1, new TerminalPosition(10, 6)));
        assertEquals("connections", h.c.cur.view.id(), "double click drills down");
    }

    @Test
    void nofkeysKeymapNeedsNoFunctionKeys() throws Exception {
        h = new UiHarness(80, 24, "nofkeys", false, ColorMode.NONE).publish(1);
        Golden.check("nofkeys_80x24", h.text());
        h.ch('v');
        assertEquals(Menu.Kind.VIEWS, h.c.menu.kind);
        h.key(KeyType.Escape).keys(new KeyStroke('2', false, true)); // ESC 2 arrives as Alt+2
        assertEquals(Menu.Kind.VIEWS, h.c.menu.kind);
        h.key(KeyType.Escape).keys(new KeyStroke('0', false, true));
        assertTrue(h.c.quit, "ESC 0 quits");
    }

    @Test
    void ctrlCAndQQuit() throws Exception {
        h = new UiHarness(80, 24).publish(1).keys(new KeyStroke('c', true, false));
        assertTrue(h.loop.finished());
        h.close();
        h = new UiHarness(80, 24).publish(1).ch('q');
        assertTrue(h.loop.finished());
    }

    @Test
    void deltaRefreshSendsOnlyChangedCells() throws Exception {
        h = new UiHarness(80, 24).publish(1);
        h.vt.getAndResetDirtyCells();
        h.vt.isWholeBufferDirtyThenReset();
        assertFalse(h.loop.step(0), "nothing changed: no redraw");
        h.source.publish(Fixtures.snapshot(2));
        assertTrue(h.loop.step(0));
        assertTrue(h.vt.getAndResetDirtyCells().isEmpty(), "same content: no cell rewritten");
        assertFalse(h.vt.isWholeBufferDirtyThenReset(), "no full repaint");
        h.ch('\u0000' == 0 ? 'p' : 'p');
        int dirty = h.vt.getAndResetDirtyCells().size();
        assertTrue(dirty > 0 && dirty < 80, "pause marks only a few cells: " + dirty);
    }
}
