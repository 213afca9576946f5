// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyType;
import io.wiretop.model.Losses;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.ScapWindowSource;
import io.wiretop.window.WindowEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture whose process name, file name and written bytes hold terminal controls (ESC, CSI, OSC,
 * BEL): Echo and Dig show them escaped or dotted, never raw, in every mode; and pause holds the
 * text still while the source keeps delivering.
 */
class EventWindowHostileTest {
    private static final int WRITE_E = 8, WRITE_X = 9;
    static final long PID = 4242;
    static final String COMM = "ev\u001b[31mil";
    static final String PATH = "/tmp/\u001b]0;pwned\u0007.log";
    static final byte[] DATA = "hi\u001b[2J\u0007\u009bbye\n".getBytes(StandardCharsets.ISO_8859_1);

    static Path capture(Path dir) throws Exception {
        Path f = dir.resolve("hostile.scap");
        ScapHead.Thread t = new ScapHead.Thread(PID, PID, 1, PID, PID, COMM, "/bin/evil", "/bin/evil", new byte[0], "/",
                1024, 0, 0, 0, 1000, 500, 0, 0, 0, new byte[0], PID, PID, new byte[0], "/", -1, 0, 0);
        ScapHead head = new ScapHead(new ScapHead.Machine(1, 1L << 30, 4_194_304, "h", 0),
                List.of(new ScapHead.Interface("lo", new byte[] {127, 0, 0, 1}, new byte[] {(byte) 255, 0, 0, 0},
                        new byte[] {127, (byte) 255, (byte) 255, (byte) 255})),
                List.of(), List.of(), List.of(t), Map.of(PID, List.of(ScapHead.Fd.file(5, 1, PATH, 2, 0))));
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head);
            long ts = 1_700_000_000_000_000_000L;
            w.event().begin(ts, PID, 0, WRITE_E, 2).i64(5).u32(DATA.length).end();
            w.event().begin(ts + 1500, PID, 0, WRITE_X, 2).i64(DATA.length).bytes(DATA, 0, DATA.length).end();
        }
        return f;
    }

    private static UiHarness harness(Path file) throws Exception {
        UiHarness h = new UiHarness(100, 24);
        h.c.windowSources = (sel, enters, zone) -> {
            ScapWindowSource s = ScapWindowSource.start(file, sel, zone);
            s.await(10_000);
            return s;
        };
        List<Row> procs = List.of(Fixtures.proc(PID, "root", 10, "evil"));
        h.publish(new Snapshot(1, 1_000_000_000L, 1.0, Map.of(Snapshot.PROCESSES, procs), Losses.NONE, "hostile.scap"));
        return h;
    }

    private static void noControls(String screen) {
        for (char ch : screen.toCharArray()) {
            assertFalse(ch < 0x20 && ch != '\n' || ch >= 0x7f && ch < 0xa0, "a control reached the screen: "
                    + (int) ch + " in " + screen);
        }
    }

    @Test
    void echoEscapesNamesAndShowsNoControlInAnyMode(@TempDir Path dir) throws Exception {
        UiHarness h = harness(capture(dir));
        try {
            h.ch('e');
            h.loop.step(0);
            String s = h.text();
            noControls(s);
            // the fd name as sysdig prints it: libsinsp drops its non-printables; the comm is raw, so escaped
            assertTrue(s.contains("------ Write 12B to /tmp/]0;pwned.log (ev\\x1b[31mil)"), s);
            assertTrue(s.contains("\nhi[2Jbye\n"), "printable: the controls dropped, the rest kept: " + s);
            h.key(KeyType.F2);
            s = h.text();
            noControls(s);
            assertTrue(s.contains("\nhi.[2J..bye.\n"), "dotted: one dot per control byte: " + s);
            h.key(KeyType.F2);
            s = h.text();
            noControls(s);
            assertTrue(s.contains("0x0000: 6869 1b5b 324a 079b 6279 650a            hi.[2J..bye."), s);
        } finally {
            h.close();
        }
    }

    @Test
    void digEscapesTheLine(@TempDir Path dir) throws Exception {
        UiHarness h = harness(capture(dir));
        try {
            h.ch('d');
            h.loop.step(0);
            String s = h.text();
            noControls(s);
            assertTrue(s.contains("ev\\x1b[31mil (4242) > write fd=5(<f>/tmp/]0;pwned.log) size=12"), s);
            // escaped once by the window itself (sysdig leaves comm raw), not only by the screen's last guard
            assertTrue(h.c.window.lines(100).get(0).text().contains("ev\\x1b[31mil (4242)"),
                    h.c.window.lines(100).get(0).text());
            assertTrue(s.contains("< write res=12 data=hi.[2J..bye."), s);
        } finally {
            h.close();
        }
    }

    @Test
    void pauseHoldsTheTextAndClearEmptiesIt(@TempDir Path dir) throws Exception {
        Path file = capture(dir);
        UiHarness h = new UiHarness(100, 24);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            ScapWindowSource[] real = new ScapWindowSource[1];
            h.c.windowSources = (sel, enters, zone) -> {
                real[0] = ScapWindowSource.start(file, sel, zone);
                real[0].await(10_000);
                // hands nothing over until the test says so: the pause key is in before the first batch
                return new EventWindowSource() {
                    public List<List<WindowEvent>> drain() {
                        return go.getCount() > 0 ? List.of() : real[0].drain();
                    }

                    public boolean finished() {
                        return go.getCount() == 0 && real[0].finished();
                    }

                    public String failure() {
                        return real[0].failure();
                    }

                    public void close() {
                        real[0].close();
                    }
                };
            };
            h.publish(new Snapshot(1, 1_000_000_000L, 1.0, Map.of(Snapshot.PROCESSES,
                    List.<Row>of(Fixtures.proc(PID, "root", 10, "evil"))), Losses.NONE, "hostile.scap"));
            h.ch('e');
            h.ch('p');
            assertTrue(h.text().contains("PAUSED"), h.text());
            go.countDown();
            h.loop.step(0);
            h.loop.step(0);
            assertFalse(h.text().contains("------ Write"), "paused: nothing shown yet: " + h.text());
            h.ch('p');
            assertTrue(h.text().contains("------ Write 12B"), "resumed: shown: " + h.text());
            h.ch('c');
            assertFalse(h.text().contains("------ Write"), "cleared: " + h.text());
            assertEquals("0/0(0.0%)", h.line(23).substring(h.line(23).lastIndexOf(' ') + 1));
        } finally {
            h.close();
        }
    }
}
