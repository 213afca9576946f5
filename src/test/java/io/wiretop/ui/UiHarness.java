// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.wiretop.view.ActionDef;
import io.wiretop.model.Snapshot;
import io.wiretop.view.Filter;
import io.wiretop.view.ViewDef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The real UI loop on lanterna's virtual terminal, with a fake source, a manual clock and recorded actions. */
final class UiHarness {
    final DefaultVirtualTerminal vt;
    final FakeSource source = new FakeSource();
    final AtomicLong clock = new AtomicLong(1_000_000);
    final List<String> ran = new ArrayList<>();
    final UiLoop loop;
    final UiController c;
    final TerminalSession session;

    UiHarness(int cols, int rows) throws Exception {
        this(cols, rows, "default", false, ColorMode.NONE);
    }

    UiHarness(int cols, int rows, String keymap, boolean readonly, ColorMode mode) throws Exception {
        this(cols, rows, keymap, readonly, mode, Views.of(Fixtures.views()), Fixtures.procs());
    }

    /** A harness over other views (the Packets tests), starting on {@code start}. */
    UiHarness(int cols, int rows, Views views, ViewDef start) throws Exception {
        this(cols, rows, "default", false, ColorMode.NONE, views, start);
    }

    private UiHarness(int cols, int rows, String keymap, boolean readonly, ColorMode mode, Views views,
                      ViewDef start) throws Exception {
        vt = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
        session = TerminalSession.virtual(vt, UiLog.none());
        ActionRunner runner = (ActionDef a, String cmd) -> {
            ran.add(cmd);
            return null;
        };
        loop = TopUi.build(session, source, views, Keymap.load(keymap), start,
                Filter.ALL, new UiOptions(null, keymap, readonly, 0, null, null), new Theme(mode, true),
                UiLog.none(), runner, clock::get);
        c = loop.controller;
        loop.draw(true);
    }

    /** Feeds keys and runs the loop until they are consumed. */
    UiHarness keys(KeyStroke... ks) throws Exception {
        for (KeyStroke k : ks) {
            vt.addInput(k);
            loop.step(0);
        }
        return this;
    }

    UiHarness key(KeyType t) throws Exception {
        return keys(new KeyStroke(t));
    }

    UiHarness ch(char ch) throws Exception {
        return keys(new KeyStroke(ch, false, false));
    }

    UiHarness type(String s) throws Exception {
        for (char ch : s.toCharArray()) {
            ch(ch);
        }
        return this;
    }

    UiHarness publish(long seq) throws Exception {
        source.publish(Fixtures.snapshot(seq));
        loop.step(0);
        return this;
    }

    UiHarness publish(Snapshot s) throws Exception {
        source.publish(s);
        loop.step(0);
        return this;
    }

    UiHarness resize(int cols, int rows) throws Exception {
        vt.setTerminalSize(new TerminalSize(cols, rows));
        loop.step(0);
        return this;
    }

    /** The terminal's text, one line per row, trailing spaces removed. */
    String text() {
        TerminalSize s = vt.getTerminalSize();
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < s.getRows(); y++) {
            StringBuilder line = new StringBuilder();
            for (int x = 0; x < s.getColumns(); x++) {
                TextCharacter tc = vt.getCharacter(x, y);
                line.append(tc == null ? ' ' : tc.getCharacterString());
            }
            sb.append(line.toString().replaceAll("\\s+$", "")).append('\n');
        }
        return sb.toString();
    }

    String line(int y) {
        return text().split("\n", -1)[y];
    }

    boolean has(int x, int y, SGR sgr) {
        return vt.getCharacter(x, y).getModifiers().contains(sgr);
    }

    void close() throws IOException {
        session.restore();
    }
}
