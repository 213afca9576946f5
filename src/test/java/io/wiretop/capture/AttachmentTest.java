// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When an on-demand collector attaches and detaches, and what the header says of it. */
class AttachmentTest {
    private static final long S = 1_000_000_000L;

    @Test
    void attachesWhenNeededAndDetachesOnlyAfterTheGracePeriod() {
        Attachment a = new Attachment(false, 10 * S);
        assertEquals(0, a.decide(false, 0), "nothing on screen needs it");
        assertEquals(1, a.decide(true, S));
        a.attached(false, 1000);
        assertEquals(0, a.decide(true, 2 * S));
        assertEquals(0, a.decide(false, 3 * S), "left the view: still attached");
        assertEquals(0, a.decide(false, 12 * S), "within the grace period of the last need (2 s)");
        assertEquals(0, a.decide(true, 12 * S + 1), "back before the grace ran out: no thrash");
        assertEquals(0, a.decide(false, 22 * S));
        assertEquals(-1, a.decide(false, 22 * S + 2));
        a.detached();
        assertFalse(a.isAttached());
        assertEquals(0, a.decide(false, 23 * S));
        assertEquals("FILE off", a.describe("FILE"));
    }

    @Test
    void forcedOnNeverDetaches() {
        Attachment a = new Attachment(true, S);
        assertEquals(1, a.decide(false, 0));
        a.attached(true, 1000);
        assertEquals(0, a.decide(false, 100 * S));
        assertTrue(a.collectedThisInterval(2000), "attached before the first interval: collected from it");
    }

    @Test
    void theIntervalOfTheAttachIsABaselineAndTheHeaderSaysSinceTheNext() {
        Attachment a = new Attachment(false, S);
        a.decide(true, 0);
        a.attached(false, 5000);
        assertEquals("WIRE attaching", a.describe("WIRE"));
        assertFalse(a.collectedThisInterval(7000), "counted since attach: a partial interval, not shown");
        assertEquals("WIRE attaching", a.describe("WIRE"));
        assertTrue(a.collectedThisInterval(9000));
        String expected = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(
                java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(7000), java.time.ZoneId.systemDefault()));
        assertEquals("WIRE since " + expected, a.describe("WIRE"));
    }

    @Test
    void aFailedAttachIsSaidAndNotRetried() {
        Attachment a = new Attachment(false, S);
        assertEquals(1, a.decide(true, 0));
        a.failed("cannot load sys\nverifier log");
        assertEquals(0, a.decide(true, S));
        assertEquals("FILE failed: cannot load sys", a.describe("FILE"));
    }
}
