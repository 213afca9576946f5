// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over of event batches from a window source's thread to the UI. */
class BatchHandOverTest {
    private static List<WindowEvent> batch(long first, int n) {
        List<WindowEvent> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.add(new WindowEvent(null, first + i, 1, "c", -1, "", -1, "line " + (first + i)));
        }
        return b;
    }

    @Test
    void theOldestBatchesGoWhenTheUiFallsBehind() {
        BatchHandOver h = new BatchHandOver(10);
        h.offer(batch(1, 4));
        h.offer(batch(5, 4));
        h.offer(batch(9, 4)); // 12 queued > 10: the first batch goes
        List<List<WindowEvent>> got = h.drain();
        assertEquals(List.of(5L, 9L), got.stream().map(b -> b.get(0).num()).toList());
        h.offer(batch(13, 8)); // the count went down with the drain: nothing dropped
        assertEquals(8, h.drain().get(0).size());
    }

    @Test
    void aBatchIsCopiedAndAnEmptyOneIsNotHandedOver() {
        BatchHandOver h = new BatchHandOver(100);
        List<WindowEvent> b = batch(1, 2);
        h.offer(b);
        b.clear();
        h.offer(b);
        List<List<WindowEvent>> got = h.drain();
        assertEquals(1, got.size());
        assertEquals(2, got.get(0).size());
    }

    @Test
    void finishedOnlyOnceEndedAndDrainedWithItsOneLineReason() {
        BatchHandOver h = new BatchHandOver(100);
        h.offer(batch(1, 1));
        h.finish(new java.io.IOException("cut short\nat 40"));
        assertTrue(h.ended());
        assertFalse(h.finished(), "a batch is still waiting");
        h.drain();
        assertTrue(h.finished());
        assertEquals("cut short at 40", h.failure());
        BatchHandOver ok = new BatchHandOver(1);
        ok.finish(null);
        assertTrue(ok.finished());
        assertNull(ok.failure());
    }
}
