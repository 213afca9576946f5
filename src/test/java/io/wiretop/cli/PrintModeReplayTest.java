// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.engine.Engine;
import io.wiretop.engine.FakeFeed;
import io.wiretop.engine.Pacing;
import io.wiretop.model.ProcessId;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.view.Filter;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.wiretop.engine.FakeFeed.exec;
import static io.wiretop.engine.FakeFeed.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --raw / --json over a source that ends (a replayed file) or fails half-way (a damaged one). */
@Timeout(30)
class PrintModeReplayTest {
    private static final ProcessId CURL = new ProcessId(4242, 900);

    private static FakeFeed threeIntervals() {
        return new FakeFeed().label("t.scap (9 evts, 3.00s)")
                .interval(List.of(exec(CURL, "curl -s example.org")), List.of(), scan(CURL))
                .interval(List.of(), List.of(), scan(CURL))
                .interval(List.of(), List.of(), scan(CURL));
    }

    private static ViewDef view(String id) throws Exception {
        return ViewRegistry.loadDefault().get(id);
    }

    /** Runs the print loop over the feed, every snapshot handed over, as for -r. */
    private static String print(PrintMode p, FakeFeed feed, long intervals, StringBuilder out) throws Exception {
        return print(p, Engine.start(feed, Pacing.EACH), intervals, out);
    }

    /** Runs the print loop with System.out captured; returns what it printed, or rethrows. */
    private static String print(PrintMode p, Engine engine, long intervals, StringBuilder out) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (Engine e = engine) {
            // preemptive: a loop that misses the end spins without waiting, and only this stops it
            assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(20), () -> p.run(e, intervals)));
        } finally {
            System.setOut(saved);
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.equals(what)).count();
    }

    @Test
    void rawPrintsEveryIntervalThenEndsWithZeroWhenTheFileEnds() throws Exception {
        String out = print(new PrintMode(view("procs"), Filter.ALL, false, t -> "unused"), threeIntervals(), 0,
                new StringBuilder());
        assertEquals(3, count(out, "----------------------"), out);
        assertEquals(3, out.lines().filter(l -> l.contains("curl -s example.org")).count(), out);
    }

    @Test
    void jsonPrintsOneObjectPerIntervalAndStopsAtMinusN() throws Exception {
        String out = print(new PrintMode(view("procs"), Filter.ALL, true, t -> "unused"), threeIntervals(), 2,
                new StringBuilder());
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.lines().allMatch(l -> l.startsWith("{") && l.contains("t.scap (9 evts, 3.00s)")), out);
    }

    @Test
    void aDamagedFilePrintsWhatCameBeforeThenOneLine() throws Exception {
        FakeFeed feed = new FakeFeed()
                .interval(List.of(exec(CURL, "curl -s example.org")), List.of(), scan(CURL))
                .interval(List.of(), List.of(), scan(CURL))
                .failWith(new CaptureFileException(4096, "event block length 3 is shorter than its header"));
        PrintMode p = new PrintMode(view("procs"), Filter.ALL, false, t -> "t.scap: " + t.getMessage());
        StringBuilder out = new StringBuilder();
        UserError e = assertThrows(UserError.class, () -> print(p, feed, 0, out));
        assertEquals("t.scap: offset 4096: event block length 3 is shorter than its header", e.getMessage());
        assertEquals(2, count(out.toString(), "----------------------"), "both intervals before the damage: " + out);
    }

    @Test
    void aSnapshotPublishedBeforeTheFailureIsPrintedBeforeTheLine() throws Exception {
        // a live source does not wait for the printer: it may fail before the last snapshot is printed
        FakeFeed feed = new FakeFeed().interval(List.of(exec(CURL, "curl -s example.org")), List.of(), scan(CURL))
                .failWith(new java.io.IOException("map read failed"));
        Engine engine = Engine.start(feed);
        assertTrue(feed.closed.await(5, java.util.concurrent.TimeUnit.SECONDS));
        PrintMode p = new PrintMode(view("procs"), Filter.ALL, false, t -> "capture stopped: " + t.getMessage());
        StringBuilder out = new StringBuilder();
        UserError e = assertThrows(UserError.class, () -> print(p, engine, 0, out));
        assertEquals("capture stopped: map read failed", e.getMessage());
        assertEquals(1, count(out.toString(), "----------------------"), out.toString());
    }
}
