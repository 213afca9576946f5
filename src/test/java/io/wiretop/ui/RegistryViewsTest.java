// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.wiretop.view.Filter;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UI over the shipped view files: every view renders, the default view drills down and back. */
class RegistryViewsTest {
    @Test
    void everyShippedViewRendersAndProcessesDrillsDown() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        TerminalSession s = TerminalSession.virtual(vt, UiLog.none());
        FakeSource src = new FakeSource();
        src.publish(Fixtures.snapshot(1));
        UiLoop loop = TopUi.build(s, src, Views.of(reg::get, reg::applicableTo), Keymap.load("default"),
                reg.get(ViewRegistry.DEFAULT_VIEW), Filter.ALL, UiOptions.defaults(), new Theme(ColorMode.ANSI8, false),
                UiLog.none(), (a, cmd) -> null, System::currentTimeMillis);
        loop.step(0);
        UiController c = loop.controller;
        assertEquals(12, c.rows().size());
        assertEquals("2210", c.selectedRow().key(), "NET-sorted: iperf3 first");
        for (ViewDef v : reg.all()) {
            c.switchView(v);
            loop.draw(false);
            assertTrue(line(vt, 0).startsWith("Viewing: " + v.name()), v.id());
        }
        c.switchView(reg.get("procs"));
        vt.addInput(new KeyStroke(KeyType.Enter));
        loop.step(0);
        assertFalse(c.stack.isEmpty(), "drilled");
        ViewDef target = reg.get(reg.get("procs").drilldownTarget());
        assertNotNull(target);
        assertTrue(line(vt, 0).startsWith("Viewing: " + target.name() + " For: proc.pid=2210"), line(vt, 0));
        vt.addInput(new KeyStroke(KeyType.Backspace));
        loop.step(0);
        assertEquals("2210", c.selectedRow().key());
        s.restore();
    }

    @Test
    void shippedProcessesViewKeepsCommandReadableAt80Columns() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        UiHarness h = new UiHarness(80, 24, Views.of(reg::get, reg::applicableTo), reg.get("procs"));
        h.publish(1);
        String header = h.line(2);
        assertTrue(header.contains("NET ") && header.contains(" WIRE Command"), header);
        assertTrue(header.indexOf("Command") <= 70, "Command starts by column 70: " + header);
        assertTrue(h.line(3).contains("iperf3 -c"), h.line(3));
        assertTrue(h.line(4).contains("www-data"), "USER still fits www-data: " + h.line(4));
        h.close();
    }

    private static String line(DefaultVirtualTerminal vt, int y) {
        StringBuilder b = new StringBuilder();
        for (int x = 0; x < vt.getTerminalSize().getColumns(); x++) {
            b.append(vt.getCharacter(x, y).getCharacterString());
        }
        return b.toString();
    }
}
