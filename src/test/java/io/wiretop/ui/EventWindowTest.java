// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.window.EchoText;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.ScapWindowSource;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import io.wiretop.trace.scap.ScapFixtures;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's text made batch by batch (as a live stream delivers) is the text made at once. */
class EventWindowTest {
    /** Hands over one queued batch per drain. */
    static final class Trickle implements EventWindowSource {
        final Deque<List<WindowEvent>> queue = new ArrayDeque<>();
        boolean closed;

        public List<List<WindowEvent>> drain() {
            List<WindowEvent> b = queue.poll();
            return b == null ? List.of() : List.of(b);
        }

        public boolean finished() {
            return queue.isEmpty();
        }

        public String failure() {
            return null;
        }

        public void close() {
            closed = true;
        }
    }

    static List<WindowEvent> curl() throws Exception {
        ScapWindowSource s = ScapWindowSource.start(ScapFixtures.path("curl_google"),
                WindowSelection.processes(Set.of(17497L), "x"), ZoneOffset.UTC);
        s.await(30_000);
        List<WindowEvent> all = new ArrayList<>();
        s.drain().forEach(all::addAll);
        return all;
    }

    private static List<String> text(EventWindow w, int width) {
        return w.lines(width).stream().map(EchoText.Line::text).toList();
    }

    @Test
    void textMadeBatchByBatchIsTheTextMadeAtOnce() throws Exception {
        List<WindowEvent> all = curl();
        for (EventWindow.Kind kind : List.of(EventWindow.Kind.ECHO, EventWindow.Kind.DIG)) {
            Trickle once = new Trickle();
            once.queue.add(all);
            EventWindow whole = new EventWindow(kind, WindowSelection.processes(Set.of(17497L), "x"), once);
            whole.pull();
            Trickle trickle = new Trickle();
            for (int i = 0; i < all.size(); i += 97) {
                trickle.queue.add(all.subList(i, Math.min(all.size(), i + 97)));
            }
            EventWindow parts = new EventWindow(kind, WindowSelection.processes(Set.of(17497L), "x"), trickle);
            while (!trickle.finished()) {
                parts.pull();
                parts.lines(80); // drawn between batches
            }
            assertEquals(text(whole, 80), text(parts, 80), kind.name());
            assertTrue(text(parts, 80).size() > 200);
            parts.cycleMode();
            whole.cycleMode();
            assertEquals(text(whole, 120), text(parts, 120), kind + " after a mode and width change");
            parts.close();
            assertTrue(trickle.closed, "closing the window closes its source");
        }
    }
}
