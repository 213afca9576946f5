// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The spectrogram's axis and ramp: csysdig's column {@code log10(latency) * width / 11 + 1}, one row
 * per interval of the events' own time, mkcol's colour level less one.
 */
class SpectrogramTest {
    @Test
    void columnsAreLog10OfTheLatencyOver11Decades() {
        assertEquals(1, Spectrogram.column(0, 110), "1 ns");
        assertEquals(31, Spectrogram.column(3, 110), "1 us");
        assertEquals(61, Spectrogram.column(6, 110), "1 ms");
        assertEquals(101, Spectrogram.column(10, 110), "10 s");
        assertEquals(109, Spectrogram.column(12, 110), "beyond 10 s: the last column");
        assertEquals(28, Spectrogram.fine(1000) / 10 - 2, "1000 ns is 3.00 decades at 1/100");
    }

    @Test
    void rowsCountExitsPerIntervalAndBucket() throws Exception {
        List<WindowEvent> curl = EchoReferenceTest.read(WindowSelection.processes(Set.of(17497L), "x"));
        Spectrogram s = new Spectrogram(10_000_000L); // 10 ms rows
        curl.forEach(s::add);
        long exits = curl.stream().filter(w -> !w.event().enter() && w.latency() >= 0).count();
        long counted = 0;
        for (long start : s.intervals()) {
            for (int c : s.row(start, 110)) {
                counted += c;
            }
        }
        assertEquals(exits, counted, "every exit with a latency counted once");
        assertEquals(8, s.intervals().size(), "curl's 74 ms in 10 ms rows");
        s.clear();
        assertEquals(List.of(), s.intervals());
    }

    @Test
    void levelsFollowCsysdigsRamp() {
        assertEquals(0, Spectrogram.level(0, 10));
        assertEquals(1, Spectrogram.level(1, 10), "log10(3)/log10(1.6) = 2.3, less one");
        assertEquals(2, Spectrogram.level(2, 10));
        assertEquals(5, Spectrogram.level(10, 10), "log10(21)/log10(1.6) = 6.5, less one");
        assertEquals(9, Spectrogram.level(1_000_000, 10), "capped");
    }
}
