// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.wiretop.events.EventSelection;
import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.record.Recorder;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record key: starts a recording of what the view selects, shows it in the header, stops it. */
class RecordUiTest {
    private static ScapHead head;

    @TempDir
    Path tmp;
    private final List<EventSelection> selections = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final FakeSyscallEvents fake = new FakeSyscallEvents(100);

    @BeforeAll
    static void takeHead() {
        head = HostSnapshot.system().take();
    }

    private UiHarness harness(String keymap) throws Exception {
        return harness(keymap, 100);
    }

    private UiHarness harness(String keymap, int cols) throws Exception {
        UiHarness h = new UiHarness(cols, 24, keymap, false, ColorMode.NONE);
        h.c.recording = new RecordingSetup(tmp, (file, sel) -> {
            selections.add(sel);
            files.add(file);
            return Recorder.start(new Recorder.Options(file, false, null, null), fake, () -> head);
        });
        return h.publish(1);
    }

    private static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    @Test
    void f11StartsRecordingEverythingAtTheTopLevelShowsItInTheHeaderAndStopsIt() throws Exception {
        UiHarness h = harness("default", 200); // wide enough for the whole summary with the temporary path
        assertTrue(h.line(23).contains("F11Record"), h.line(23));
        h.key(KeyType.F11);
        assertEquals(List.of(EventSelection.everything(80)), selections);
        Path file = files.get(0);
        assertTrue(file.getFileName().toString().matches("wiretop-\\d{8}-\\d{6}\\.scap"), file.toString());
        assertEquals(tmp, file.getParent());
        // the size is whatever the head has reached when the screen is drawn
        assertTrue(h.line(0).matches(".* Recording: " + java.util.regex.Pattern.quote(file.getFileName().toString())
                + " 0 evts [0-9.]+[KM]? 0 lost"), h.line(0));
        assertTrue(h.line(23).contains("F11StopRec"), h.line(23));

        long self = ProcessHandle.current().pid();
        fake.add(FakeSyscallEvents.writeEnter(1_700_000_000_000_000_000L, self, 2, 1));
        fake.add(FakeSyscallEvents.writeEnter(1_700_000_000_000_000_001L, self, 2, 1));
        fake.lose(1, 5);
        for (int i = 0; i < 500 && h.c.recorder.status().events() < 2; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(150); // the poll after the events: their bytes on disk, the lost count read
        h.publish(2);
        assertTrue(h.line(0).contains("Recording: " + file.getFileName() + " 2 evts "), h.line(0));
        assertTrue(h.line(0).endsWith(" 5 lost"), h.line(0));

        h.key(KeyType.F11);
        assertNull(h.c.recorder);
        assertFalse(h.line(0).contains("Recording"), h.line(0));
        assertTrue(h.text().contains("Recorded 2 events, " + Files.size(file) + " bytes written to " + file + ", 5 lost"),
                h.text());
        assertTrue(fake.closed.get());
        List<Long> tids = new ArrayList<>();
        try (ScapReader r = ScapReader.open(file)) {
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() != 234) {
                    tids.add(e.tid());
                }
            }
        }
        assertEquals(List.of(self, self), tids);
        assertEquals(1, selections.size(), "stopping starts nothing");
    }

    @Test
    void afterADrillDownOnlyThatProcessIsRecorded() throws Exception {
        UiHarness h = harness("default");
        h.key(KeyType.ArrowDown); // sorted by NET: iperf3 (2210), then nginx 733
        assertTrue(h.text().lines().anyMatch(l -> l.strip().startsWith("733")));
        h.key(KeyType.Enter);
        assertTrue(h.line(0).contains("Connections For: proc.pid=733"), h.line(0));
        h.keys(ctrl('r'));
        assertEquals(List.of(EventSelection.processes(Set.of(733), 80)), selections);
        h.c.stopRecording();
    }

    @Test
    void aDrillDownIntoAProcessWithoutConnectionsStillRecordsIt() throws Exception {
        UiHarness h = harness("default");
        h.key(KeyType.End); // vim (1644), NET 0: last
        h.key(KeyType.Enter);
        assertTrue(h.line(0).contains("Connections For: proc.pid=1644"), h.line(0));
        h.key(KeyType.F11);
        assertEquals(List.of(EventSelection.processes(Set.of(1644), 80)), selections);
        h.c.stopRecording();
    }

    @Test
    void aFilterRecordsThePidsOfTheRowsItLeaves() throws Exception {
        UiHarness h = harness("default");
        h.ch('\\').key(KeyType.Tab).type("user.name = bob").key(KeyType.Enter);
        h.key(KeyType.F11);
        assertEquals(List.of(EventSelection.processes(Set.of(1644, 3100, 3101), 80)), selections);
        h.c.stopRecording();
    }

    @Test
    void aViewWithoutAPidColumnRecordsTheProcessesBehindItsRows() throws Exception {
        UiHarness h = harness("default");
        h.c.switchView(Fixtures.connections()); // no PID column: the connections' own pids
        h.ch('\\').key(KeyType.Tab).type("fd.rport = 80 or fd.rport = 5201").key(KeyType.Enter);
        h.key(KeyType.F11);
        assertEquals(List.of(EventSelection.processes(Set.of(1500, 2210), 80)), selections);
        h.c.stopRecording();
    }

    @Test
    void aFreeTextFilterToo() throws Exception {
        UiHarness h = harness("default");
        h.ch('\\').type("nginx").key(KeyType.Enter);
        h.key(KeyType.F11);
        assertEquals(List.of(EventSelection.processes(Set.of(733, 734), 80)), selections);
        h.c.stopRecording();
    }

    @Test
    void aViewThatShowsNoProcessRecordsNothing() throws Exception {
        UiHarness h = harness("default");
        h.ch('\\').key(KeyType.Tab).type("user.name = nobody").key(KeyType.Enter);
        h.key(KeyType.F11);
        assertEquals(List.of(), selections);
        assertNull(h.c.recorder);
        assertTrue(h.text().contains("Nothing to record: this view shows no process"), h.text());
    }

    @Test
    void theNoFKeysKeymapRecordsWithShiftR() throws Exception {
        UiHarness h = harness("nofkeys");
        assertTrue(h.text().contains("RRecord"), h.line(23));
        h.ch('R');
        assertNotNull(h.c.recorder);
        assertEquals(1, selections.size());
        h.ch('R');
        assertNull(h.c.recorder);
        assertEquals(1, selections.size());
    }

    @Test
    void theHelpPageListsTheKeyAndAFileNameIsShownEscaped() throws Exception {
        UiHarness h = harness("default");
        h.key(KeyType.F1);
        assertTrue(h.text().contains("F11 Ctrl+R: record what the view selects to a .scap file / stop recording")
                || h.text().contains("F11 CTRL+R: record") || h.text().matches("(?s).*F11.*: record what the view selects.*"),
                h.text());
        assertEquals("Recording: x\\x1b[2J.scap 3 evts 1.5K 0 lost", ScreenRenderer.recordingText(
                new io.wiretop.trace.record.RecordStatus(Path.of("/d/x\u001b[2J.scap"), 1, 3, 1536, 0, true, null)));
    }

    @Test
    void aStreamThatCannotBeOpenedIsReportedOnTheNextRefresh() throws Exception {
        UiHarness h = new UiHarness(120, 24).publish(1);
        h.c.recording = new RecordingSetup(tmp, (file, sel) -> Recorder.start(new Recorder.Options(file, false, null, null),
                () -> {
                    throw new io.wiretop.bpf.BpfException("cannot load evt.bpf.o: Operation not permitted");
                }, () -> head));
        h.key(KeyType.F11);
        Recorder r = h.c.recorder;
        assertNotNull(r, "started: the stream opens on the recorder's thread, the UI goes on");
        assertTrue(r.awaitEnd(10_000));
        h.publish(2);
        assertNull(h.c.recorder);
        assertFalse(h.line(0).contains("Recording"), h.line(0));
        assertTrue(h.text().contains("cannot load evt.bpf.o: Operation not permitted"), h.text());
    }

    @Test
    void withoutASetupTheKeySaysRecordingIsNotAvailable() throws Exception {
        UiHarness h = new UiHarness(100, 24).publish(1);
        h.key(KeyType.F11);
        assertNull(h.c.recorder);
        assertTrue(h.text().contains("Recording needs the live kernel source"), h.text());
    }
}
