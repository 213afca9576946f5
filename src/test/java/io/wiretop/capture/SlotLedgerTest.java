// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.model.Cleanup;
import io.wiretop.model.ProcessId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotLedgerTest {
    private static final ProcessId P = new ProcessId(100, 7);
    private static final Cleanup.ConnRef S = new Cleanup.ConnRef(P, 42);

    private static long[] c(long in, long out, long opsIn, long opsOut) {
        return new long[]{in, out, opsIn, opsOut};
    }

    @Test
    void slotAndItsReleasedCopyAreOneCountTheLargerOfTheTwo() {
        SlotLedger l = new SlotLedger();
        // the release fell between the two reads: the slot read shows less than the final copy
        Map<Cleanup.ConnRef, long[]> out = l.merge(Map.of(S, c(10, 5, 1, 1)), Map.of(S, c(30, 5, 3, 1)));
        assertArrayEquals(c(30, 5, 3, 1), out.get(S));
        // a torn read of a slot being zeroed by its release: the copy holds the truth
        out = l.merge(Map.of(S, c(0, 5, 0, 1)), Map.of(S, c(30, 5, 3, 1)));
        assertArrayEquals(c(30, 5, 3, 1), out.get(S));
    }

    @Test
    void aRetiredSocketStillInTheTableReportsOnlyWhatCameAfter() {
        SlotLedger l = new SlotLedger();
        l.merge(Map.of(S, c(100, 50, 2, 1)), Map.of());
        l.retire(List.of(), List.of(S)); // idle: the aggregator forgot it
        assertTrue(l.merge(Map.of(S, c(100, 50, 2, 1)), Map.of()).isEmpty(), "nothing new: nothing reported");
        // active again: counted from zero, as a new hash entry would be
        assertArrayEquals(c(20, 0, 1, 0), l.merge(Map.of(S, c(120, 50, 3, 1)), Map.of()).get(S));
    }

    @Test
    void aGoneOwnersSocketKeptOpenByAChildIsNotCountedAgain() {
        SlotLedger l = new SlotLedger();
        l.merge(Map.of(S, c(7, 8, 1, 1)), Map.of());
        l.retire(List.of(P), List.of());
        assertTrue(l.merge(Map.of(S, c(7, 8, 1, 1)), Map.of()).isEmpty());
        // its final copy, when the child closes it, holds nothing new: handed back for deletion
        assertTrue(l.merge(Map.of(), Map.of(S, c(7, 8, 1, 1))).isEmpty());
        assertEquals(Set.of(S), l.drained());
    }

    @Test
    void anOffsetGoesWithItsSocket() {
        SlotLedger l = new SlotLedger();
        l.merge(Map.of(S, c(1, 1, 1, 1)), Map.of());
        l.retire(List.of(), List.of(S));
        assertEquals(1, l.retiredCount());
        l.merge(Map.of(), Map.of());
        assertEquals(0, l.retiredCount());
        // the cookie's next appearance (not possible for a cookie, but for the ledger: a new socket) counts whole
        assertArrayEquals(c(1, 1, 1, 1), l.merge(Map.of(S, c(1, 1, 1, 1)), Map.of()).get(S));
    }

    @Test
    void retiringUsesTheLastReadOnlyOtherSocketsAreUntouched() {
        SlotLedger l = new SlotLedger();
        Cleanup.ConnRef other = new Cleanup.ConnRef(new ProcessId(200, 9), 43);
        l.merge(Map.of(S, c(5, 0, 1, 0), other, c(9, 0, 1, 0)), Map.of());
        l.retire(List.of(), List.of(S));
        Map<Cleanup.ConnRef, long[]> out = l.merge(Map.of(S, c(5, 0, 1, 0), other, c(9, 0, 1, 0)), Map.of());
        assertFalse(out.containsKey(S));
        assertArrayEquals(c(9, 0, 1, 0), out.get(other));
        assertTrue(l.drained().isEmpty());
    }
}
