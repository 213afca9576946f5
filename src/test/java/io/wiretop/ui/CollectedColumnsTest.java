// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.Snapshot;
import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Processes view hides the FILE and WIRE columns (needs: file / wire) while their
 * collectors are not attached, gives the Command column the width, and shows them again when a
 * snapshot says they are collected; the header says what is collected, as the feed words it.
 */
class CollectedColumnsTest {
    private static Snapshot collecting(long seq, String label, Set<String> sets) {
        Snapshot s = Fixtures.snapshot(seq);
        return new Snapshot(s.seq(), s.monoNanos(), s.intervalSeconds(), s.sources(), s.losses(), label, sets);
    }

    @Test
    void uncollectedColumnsAreHiddenAndComeBackWhenTheirCollectorAttaches() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        UiHarness h = new UiHarness(80, 24, Views.of(reg::get, reg::applicableTo), reg.get("procs"));
        h.publish(collecting(1, "Live System (NET; FILE off; WIRE off)", Set.of(Snapshot.NET)));
        Golden.check("procs_net_only_80x24", h.text());
        String header = h.line(2);
        assertFalse(header.contains("FILE") || header.contains("WIRE"), header);
        assertTrue(header.contains("NET Command"), "Command right after NET: " + header);
        assertTrue(h.line(1).contains("Live System (NET; FILE off; WIRE off)"), h.line(1));

        h.publish(collecting(2, "Live System (NET; FILE off; WIRE since 06:12:03)", Set.of(Snapshot.NET, Snapshot.WIRE)));
        Golden.check("procs_net_wire_80x24", h.text());
        header = h.line(2);
        assertFalse(header.contains("FILE"), header);
        assertTrue(header.contains("NET    WIRE Command"), "WIRE back, between NET and Command: " + header);

        h.publish(collecting(3, "Live System", Snapshot.ALL_COUNTERS));
        header = h.line(2);
        assertTrue(header.contains("FILE") && header.contains(" WIRE Command"), header);
        int commandAll = header.indexOf("Command");
        h.publish(collecting(4, "Live System", Set.of(Snapshot.NET)));
        assertEquals(commandAll - 16, h.line(2).indexOf("Command"), "the 8+8 columns of FILE and WIRE go to Command");
        h.close();
    }

    @Test
    void theSortColumnMayBeHiddenAndTheSelectionStays() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        UiHarness h = new UiHarness(80, 24, Views.of(reg::get, reg::applicableTo), reg.get("procs"));
        h.publish(collecting(1, "Live System", Snapshot.ALL_COUNTERS));
        String selected = h.c.selectedRow().key();
        h.publish(collecting(2, "Live System (NET; FILE off; WIRE off)", Set.of(Snapshot.NET)));
        assertEquals(selected, h.c.selectedRow().key());
        assertEquals(12, h.c.rows().size());
        h.close();
    }
}
