// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import static io.wiretop.events.FakeSyscallEvents.writeEnter;
import static io.wiretop.events.FakeSyscallEvents.writeExit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapReader;
import io.wiretop.trace.scap.ScapWriters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder on a fake syscall stream: head, events, limits, rotation, gzip, failures, status. */
class RecorderTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static ScapHead head;

    @TempDir
    Path tmp;

    @BeforeAll
    static void takeHead() {
        head = HostSnapshot.system().take();
    }

    private static final Supplier<ScapHead> HEAD = () -> head;

    /** The syscall events of a file (the head's procinfo events left out): "tid type" each. */
    static List<String> events(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (ScapReader r = ScapReader.open(file)) {
            assertFalse(r.section().threads().isEmpty(), file + " begins with its own process list");
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() != 234) {
                    out.add(e.tid() + " " + e.type() + " " + e.timestamp());
                }
            }
        }
        return out;
    }

    private static void addWrites(FakeSyscallEvents fake, int n, long tsStep) {
        for (int i = 0; i < n; i++) {
            fake.add(writeEnter(T0 + i * tsStep, 100 + i, 3, 5));
        }
    }

    private static RecordStatus awaitEvents(Recorder r, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (r.status().events() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return r.status();
    }

    @Test
    void recordsTheHeadThenEveryEventToAFileOfModeSixHundredAndSaysSoInTheStatus() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(2);
        fake.lose(0, 3);
        fake.lose(1, 4);
        Path f = tmp.resolve("out.scap");
        Recorder r = Recorder.start(new Recorder.Options(f, false, RecordLimits.NONE, null), fake, HEAD);
        fake.add(writeEnter(T0, 42, 3, 5));
        fake.add(writeExit(T0 + 1, 42, 5, "hello".getBytes(StandardCharsets.UTF_8)));
        fake.add(writeEnter(T0 + 2, 43, 4, 1));
        RecordStatus running = awaitEvents(r, 3);
        assertTrue(running.running());
        assertEquals(3, running.events());
        assertEquals(7, running.lost(), "lost: the CPUs' counts added");
        assertEquals(Files.size(f), running.bytes(), "each poll's events are on disk");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

        RecordStatus end = r.stop();
        assertFalse(end.running());
        assertNull(end.error());
        assertTrue(fake.closed.get(), "the stream is detached at the end");
        assertEquals(List.of("42 8 " + T0, "42 9 " + (T0 + 1), "43 8 " + (T0 + 2)), events(f));
        assertEquals(Files.size(f), end.bytes());
        assertEquals("3 events, " + Files.size(f) + " bytes written to " + f + ", 7 lost", end.summary());
    }

    @Test
    void stopsByItselfAfterNEvents() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(3);
        Path f = tmp.resolve("n.scap");
        addWrites(fake, 10, 1);
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(0, 0, 0, 4, 0), null), fake, HEAD);
        assertTrue(r.awaitEnd(10_000), "-n ends the recording without stop()");
        RecordStatus end = r.status();
        assertEquals(4, end.events());
        assertEquals(4, events(f).size());
        assertEquals(1, end.files());
    }

    @Test
    void dashERotatesEveryNEventsIntoNumberedFilesThatEachReadAlone() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(5);
        Path f = tmp.resolve("e.scap");
        addWrites(fake, 7, 1);
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(0, 0, 3, 0, 0), null), fake, HEAD);
        awaitEvents(r, 7);
        RecordStatus end = r.stop();
        assertEquals(3, end.files());
        assertEquals(tmp.resolve("e.scap2"), end.file());
        assertFalse(Files.exists(f), "rotating: the bare name is not used (sysdig appends the number)");
        assertEquals(3, events(tmp.resolve("e.scap0")).size());
        assertEquals(3, events(tmp.resolve("e.scap1")).size());
        assertEquals(List.of("106 8 " + (T0 + 6)), events(tmp.resolve("e.scap2")));
        long total = 0;
        for (int i = 0; i < 3; i++) {
            total += Files.size(tmp.resolve("e.scap" + i));
        }
        assertEquals(total, end.bytes(), "bytes: all files");
    }

    @Test
    void dashGRotatesByEventTime() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(10);
        Path f = tmp.resolve("g.scap");
        for (long s : new long[]{0, 0, 1, 2, 2, 5}) {
            fake.add(writeEnter(T0 + s * SECOND, 7, 3, 1));
        }
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(2, 0, 0, 0, 0), null), fake, HEAD);
        awaitEvents(r, 6);
        assertEquals(3, r.stop().files());
        assertEquals(3, events(tmp.resolve("g.scap0")).size(), "seconds 0, 0, 1");
        assertEquals(2, events(tmp.resolve("g.scap1")).size(), "seconds 2, 2");
        assertEquals(1, events(tmp.resolve("g.scap2")).size(), "second 5");
    }

    @Test
    void dashCRotatesOnceTheFileIsOverTheSize() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(100);
        Path f = tmp.resolve("c.scap");
        byte[] data = new byte[1000];
        for (int i = 0; i < 20; i++) {
            fake.add(writeExit(T0 + i, 9, 1000, data));
        }
        // the head alone: its size is where -C starts counting from
        Path probe = tmp.resolve("probe.scap");
        Recorder p = Recorder.start(new Recorder.Options(probe, false, RecordLimits.NONE, null), new FakeSyscallEvents(1), HEAD);
        long headBytes = p.stop().bytes();
        long limit = headBytes + 4500; // four events of ~1050 bytes fit, the fifth goes over
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(0, limit, 0, 0, 0), null), fake, HEAD);
        awaitEvents(r, 20);
        RecordStatus end = r.stop();
        assertEquals(4, end.files(), "20 events, 5 a file");
        for (int i = 0; i < 4; i++) {
            Path part = tmp.resolve("c.scap" + i);
            assertEquals(5, events(part).size(), part.toString());
            assertTrue(Files.size(part) <= limit + 1100, "over the size by one event at most");
        }
    }

    @Test
    void dashWReusesTheNamesPaddedToItsWidth() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(10);
        Path f = tmp.resolve("w.scap");
        addWrites(fake, 12, 1);
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(0, 0, 1, 0, 10), null), fake, HEAD);
        awaitEvents(r, 12);
        RecordStatus end = r.stop();
        assertEquals(12, end.files());
        assertEquals(tmp.resolve("w.scap01"), end.file(), "the 12th file takes the 2nd name again");
        try (var list = Files.list(tmp)) {
            assertEquals(10, list.filter(p -> p.getFileName().toString().startsWith("w.scap")).count());
        }
        assertEquals(List.of("110 8 " + (T0 + 10)), events(tmp.resolve("w.scap00")), "overwritten by the 11th");
        assertEquals(List.of("102 8 " + (T0 + 2)), events(tmp.resolve("w.scap02")));
    }

    @Test
    void gzipFilesAreWholeGzipStreamsThatTheReaderReadsAndStayReadableWhileBeingWritten() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(50);
        Path f = tmp.resolve("z.scap");
        addWrites(fake, 30, 1);
        Recorder r = Recorder.start(new Recorder.Options(f, true, RecordLimits.NONE, null), fake, HEAD);
        awaitEvents(r, 30);
        Thread.sleep(300); // a few more polls: the status's bytes follow the file
        // a copy taken mid-recording (as if the machine died now): no gzip trailer yet, events up to the last batch
        Path copy = tmp.resolve("copy.scap");
        Files.copy(f, copy);
        RecordStatus mid = r.status();
        assertEquals(Files.size(f), mid.bytes(), "bytes on disk: the compressed file");
        List<String> seen = new ArrayList<>();
        try (ScapReader rd = ScapReader.open(copy)) {
            assertTrue(rd.gzip());
            CaptureFileException cut = assertThrows(CaptureFileException.class, () -> {
                for (ScapEvent e; (e = rd.next()) != null; ) {
                    if (e.type() != 234) {
                        seen.add(Long.toString(e.tid()));
                    }
                }
            });
            assertTrue(cut.getMessage().contains("gzip"), cut.getMessage());
        }
        assertEquals(30, seen.size(), "every event flushed is readable from the cut file");
        RecordStatus end = r.stop();
        byte[] all = Files.readAllBytes(f);
        assertEquals(0x1f, all[0] & 0xff);
        assertEquals(0x8b, all[1] & 0xff);
        assertEquals(30, events(f).size());
        assertEquals(all.length, end.bytes());
    }

    @Test
    void aFullDiskEndsTheRecordingWithOneLineAndAFileOfWholeBlocks() throws Exception {
        for (boolean gzip : new boolean[]{false, true}) {
            FakeSyscallEvents fake = new FakeSyscallEvents(1);
            Path f = tmp.resolve("full" + gzip + ".scap");
            // room for the head and a little more; the events then fill the disk
            Path probe = tmp.resolve("probe" + gzip + ".scap");
            long headBytes = Recorder.start(new Recorder.Options(probe, gzip, RecordLimits.NONE, null),
                    new FakeSyscallEvents(1), HEAD).stop().bytes();
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < 40; i++) {
                byte[] data = new byte[2000];
                random.nextBytes(data); // incompressible: gzip fills the disk too
                fake.add(writeExit(T0 + i, 9, 2000, data));
            }
            Recorder r = Recorder.start(new Recorder.Options(f, gzip, RecordLimits.NONE, null), fake, HEAD,
                    (file, z) -> ScapWriters.fillingAfter(file, headBytes + 20_000, z));
            assertTrue(r.awaitEnd(10_000), "a failure ends the recording: " + gzip + " " + r.status());
            RecordStatus end = r.status();
            assertFalse(end.running());
            assertEquals("cannot write " + f + ": No space left on device", end.error());
            assertFalse(end.error().contains("\n"));
            assertTrue(fake.closed.get());
            List<String> kept = new ArrayList<>();
            try (ScapReader rd = ScapReader.open(f)) {
                try {
                    for (ScapEvent e; (e = rd.next()) != null; ) {
                        if (e.type() != 234) {
                            kept.add(Long.toString(e.tid()));
                        }
                    }
                    assertFalse(gzip, "a plain file ends on a whole block");
                } catch (CaptureFileException e) {
                    assertTrue(gzip && e.getMessage().contains("gzip stream is cut short"), e.getMessage());
                }
            }
            assertTrue(kept.size() >= 5, "kept " + kept.size());
            assertEquals(kept.size(), end.events(), "events: what the file holds, not what reached the lost batch");
            assertEquals(Files.size(f), end.bytes(), "bytes: what the file holds");
            // and sysdig 0.29.3 reads the same events from it (a gzip file: up to the cut)
            Process sd = new ProcessBuilder("sysdig", "-r", f.toString(), "evt.type=write")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(sd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(sd.waitFor(30, TimeUnit.SECONDS));
            assertEquals(kept.size(), out.lines().filter(l -> l.contains("< write res=2000")).count(), out);
        }
    }

    /**
     * The head's procinfo events (the CPU baseline) come first in the file, so their time must not
     * be later than the events after them: they were stamped when the head was written, after the
     * stream had opened, and the kernel's first events came out up to 8 ms earlier than them (the
     * file's first event later than its next ones; a replay of such a file cut short had a negative
     * interval, "interval_s":-0.007541). They are stamped when the head is taken, before the stream opens.
     */
    @Test
    void theHeadIsStampedBeforeTheStreamOpens() throws Exception {
        long[] openedAt = new long[1];
        Path f = tmp.resolve("stamp.scap");
        Recorder r = Recorder.start(new Recorder.Options(f, false, RecordLimits.NONE, null), () -> {
            java.time.Instant now = java.time.Instant.now();
            openedAt[0] = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // the kernel's events flow from here on
            return new FakeSyscallEvents(1);
        }, HEAD);
        r.stop();
        int procinfos = 0;
        try (ScapReader rd = ScapReader.open(f)) {
            for (ScapEvent e; (e = rd.next()) != null; ) {
                if (e.type() == 234) {
                    procinfos++;
                    assertTrue(e.timestamp() <= openedAt[0], e.timestamp() + " after the stream opened at " + openedAt[0]);
                }
            }
        }
        assertTrue(procinfos > 0);
    }

    @Test
    void aFileRemovedWhileRecordingEndsTheRecordingWithOneLine() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(1);
        Path f = tmp.resolve("gone.scap");
        Recorder r = Recorder.start(new Recorder.Options(f, false, RecordLimits.NONE, null), fake, HEAD);
        fake.add(writeEnter(T0, 42, 3, 5));
        awaitEvents(r, 1);
        Files.delete(f);
        assertTrue(r.awaitEnd(10_000), "the recording ends by itself");
        assertEquals("cannot write " + f + ": the file was removed or replaced while recording", r.status().error());
        assertTrue(fake.closed.get());
    }

    @Test
    void aFileThatCannotBeCreatedIsAOneLineError() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("plain"), "x");
        FakeSyscallEvents fake = new FakeSyscallEvents(1);
        RecordStatus end = Recorder.start(new Recorder.Options(notADir.resolve("x\u001b[2J.scap"), false,
                RecordLimits.NONE, null), fake, HEAD).awaitEnd();
        assertFalse(end.running());
        assertEquals("cannot write " + notADir + "/x\\x1b[2J.scap: Not a directory", end.error());
        assertTrue(fake.closed.get());
    }

    @Test
    void theFilterDecidesWhichEventsAreRecorded() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(4);
        Path f = tmp.resolve("f.scap");
        addWrites(fake, 6, 1);
        EventPredicate evenTids = e -> e.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(e.position() + 8) % 2 == 0;
        Recorder r = Recorder.start(new Recorder.Options(f, false, new RecordLimits(0, 0, 0, 2, 0), evenTids), fake, HEAD);
        assertTrue(r.awaitEnd(10_000));
        assertEquals(List.of("100 8 " + T0, "102 8 " + (T0 + 2)), events(f), "-n counts recorded events");
    }
}
