// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The screen of a replayed file: its Source line, a damaged file's line, pause stopping the replay. */
class ReplayScreenTest {
    private static Snapshot labelled(long seq, String label) {
        Snapshot s = Fixtures.snapshot(seq);
        return new Snapshot(s.seq(), s.monoNanos(), s.intervalSeconds(), s.sources(), s.losses(), label);
    }

    @Test
    void theSourceLineNamesTheFileEscaped() throws Exception {
        UiHarness h = new UiHarness(120, 20);
        try {
            h.publish(labelled(1, "evil\u001b[2J.scap (1536 evts, 8.00s)"));
            String line = h.line(ScreenRenderer.INFO_ROW);
            assertTrue(line.startsWith("Source: evil\\x1b[2J.scap (1536 evts, 8.00s) Filter:"), line);
            // a name that merely looks escaped must not pass for one that was: its backslash is doubled
            h.publish(labelled(2, "fake\\x1b.scap (1 evts, 0.00s)"));
            line = h.line(ScreenRenderer.INFO_ROW);
            assertTrue(line.startsWith("Source: fake\\\\x1b.scap (1 evts, 0.00s) Filter:"), line);
        } finally {
            h.close();
        }
    }

    @Test
    void aDamagedFileKeepsItsLastSnapshotAndSaysWhyUntilQuit() throws Exception {
        UiHarness h = new UiHarness(120, 20);
        try {
            h.loop.failureLine = t -> "t.scap: " + t.getMessage();
            h.publish(labelled(1, "t.scap (9 evts, 1.00s)"));
            h.source.failure = new CaptureFileException(4096, "event block cut short");
            h.loop.step(0);
            assertTrue(h.text().contains("t.scap: offset 4096: event block cut short"), h.text());
            assertTrue(h.text().contains("curl -s http://example.com/"), "the last snapshot stays: " + h.text());
            h.clock.addAndGet(UiController.MESSAGE_MILLIS + 1);
            h.loop.step(0);
            h.loop.step(0);
            assertTrue(h.text().contains("t.scap: offset 4096: event block cut short"),
                    "still there after a message would have expired: " + h.text());
            assertFalse(h.loop.finished(), "the UI stays open until q");
        } finally {
            h.close();
        }
    }

    @Test
    void pausedTheUiStopsAskingSoAReplayHandingOverWaits() throws Exception {
        UiHarness h = new UiHarness(120, 20);
        try {
            h.publish(1);
            h.ch('p');
            int before = h.source.awaitCalls;
            for (int i = 0; i < 5; i++) {
                h.loop.step(5);
            }
            assertEquals(before, h.source.awaitCalls, "no request for a newer snapshot while paused");
            h.ch('p');
            h.loop.step(5);
            assertTrue(h.source.awaitCalls > before, "asks again once resumed");
        } finally {
            h.close();
        }
    }
}
