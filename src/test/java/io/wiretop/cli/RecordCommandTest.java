// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.events.EventSelection;
import io.wiretop.events.EventSink;
import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `wiretop record` end to end on a fake syscall stream: selection, filter, limits, summary, exit codes. */
class RecordCommandTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path tmp;
    private FakeSyscallEvents fake;
    private EventSelection opened;

    @BeforeEach
    void fakeStream() {
        fake = new FakeSyscallEvents(100);
        RecordCommand.opener = sel -> {
            opened = sel;
            return fake;
        };
        RecordCommand.checkPrivileges = false;
        // the machine's running containers are not this test's: no container events
        RecordCommand.names = io.wiretop.host.ContainerDirectory.idsOnly();
    }

    @AfterEach
    void realStream() {
        RecordCommand.opener = RecordCommand.DEFAULT_OPENER;
        RecordCommand.checkPrivileges = true;
        RecordCommand.names = null;
    }

    private static List<Long> tids(Path f) throws IOException {
        List<Long> out = new ArrayList<>();
        try (ScapReader r = ScapReader.open(f)) {
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() != 234) {
                    out.add(e.tid());
                }
            }
        }
        return out;
    }

    @Test
    void dashNEndsTheRecordingWithTheSummaryAndExitZero() throws IOException {
        long self = ProcessHandle.current().pid();
        for (int i = 0; i < 5; i++) {
            fake.add(FakeSyscallEvents.writeEnter(T0 + i, self, 2, 1));
        }
        Path f = tmp.resolve("r.scap");
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", f.toString(), "-n", "3", "--pid", Long.toString(self),
                "-s", "256");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of("wiretop record: recording pid " + self + " to " + f + ", snap length 256 bytes",
                "3 events, " + Files.size(f) + " bytes written to " + f + ", 0 lost"), r.stderr().lines().toList());
        assertEquals(EventSelection.processes(Set.of((int) self), 256), opened, "the kernel selects the pid");
        assertEquals(List.of(self, self, self), tids(f));
        assertTrue(fake.closed.get());
    }

    @Test
    void pnameSelectsTheProcessesWithThatNameNow() throws IOException {
        long self = ProcessHandle.current().pid();
        String comm = io.wiretop.host.ProcFs.system().taskComm(self, self);
        fake.add(FakeSyscallEvents.writeEnter(T0, self, 2, 1));
        Path f = tmp.resolve("p.scap");
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", f.toString(), "-n", "1", "--pname", comm);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(opened.pids().contains((int) self), opened.toString());
        assertTrue(opened.pids().stream().map(p -> io.wiretop.host.ProcFs.system().taskComm(p, p))
                        .allMatch(c -> c == null || c.equals(comm)), // null: exited since (other java processes come and go)
                "only processes named " + comm + ": " + opened);
        assertEquals(false, opened.all());
    }

    @Test
    void theFilterKeepsTheEventsItMatches() throws IOException {
        long self = ProcessHandle.current().pid();
        fake.add(FakeSyscallEvents.writeEnter(T0, self, 2, 1));                  // this JVM: java
        fake.add(FakeSyscallEvents.event(T0 + 1, 1, 8, 1L, 1));                 // pid 1: not java
        fake.add(FakeSyscallEvents.event(T0 + 2, self, 4, 9L));                 // close enter, this JVM
        fake.add(FakeSyscallEvents.writeExit(T0 + 3, self, -2, new byte[0]));   // write exit, ENOENT
        Path f = tmp.resolve("f.scap");
        String comm = io.wiretop.host.ProcFs.system().taskComm(self, self);
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", f.toString(), "-n", "2",
                "proc.name", "=", comm, "and", "(evt.type", "=", "write", "or", "evt.res", "=", "ENOENT)");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(EventSelection.everything(80), opened);
        assertEquals(List.of(self, self), tids(f), "pid 1's write and the close are left out");
    }

    /**
     * -w on a symbolic link or a FIFO: the writer creates a new file and follows no link (a link
     * planted in /tmp must not overwrite its target), so these are refused, before anything is
     * loaded and without opening them. The probe for a writable -w used to open a FIFO for writing
     * and wait for a reader for ever; a link was refused only after the recording had started, as
     * "cannot write x.scap: File exists".
     */
    @Test
    void aLinkOrFifoAtDashWIsRefusedAtOnceAndLeftAlone() throws Exception {
        Path target = Files.writeString(tmp.resolve("victim"), "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("l.scap"), target);
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", link.toString(), "-n", "1");
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(List.of("wiretop: -w " + link + ": a symbolic link: the recording creates a new file"
                + " and follows no link (remove it, or give the file it points to)"), r.stderr().lines().toList());
        assertEquals("keep me", Files.readString(target));
        assertEquals(null, opened, "refused before the stream is opened");

        Path fifo = tmp.resolve("f.scap");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        FlagsTableTest.Output f = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), () -> FlagsTableTest.run("record", "-w", fifo.toString(), "-n", "1"),
                "a FIFO with no reader must not block the command");
        assertEquals(1, f.exit(), f.stderr());
        assertEquals(List.of("wiretop: -w " + fifo + ": not a regular file: the recording creates a new file"
                + " (remove it, or choose another name)"), f.stderr().lines().toList());
        assertEquals(null, opened);
    }

    @Test
    void aStreamThatCannotBeOpenedIsOneLineAndExitOne() throws IOException {
        RecordCommand.opener = sel -> {
            throw new io.wiretop.bpf.BpfException("cannot load bpf/obj/evt.bpf.o: Operation not permitted");
        };
        Path f = tmp.resolve("o.scap");
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", f.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(List.of("wiretop: cannot load bpf/obj/evt.bpf.o: Operation not permitted"), r.stderr().lines().toList());
        assertTrue(!Files.exists(f), "no file when nothing was recorded");
    }

    @Test
    void aFailingStreamPrintsTheSummaryThenOneLineAndExitsOne() throws IOException {
        FakeSyscallEvents broken = new FakeSyscallEvents(1);
        RecordCommand.opener = sel -> new io.wiretop.events.SyscallEvents() {
            @Override
            public int poll(int timeoutMillis, EventSink sink) throws IOException {
                throw new IOException("Bad file descriptor");
            }

            @Override
            public void select(EventSelection selection) {
            }

            @Override
            public long[] lostPerCpu() {
                return new long[]{2, 3};
            }

            @Override
            public void close() {
                broken.close();
            }
        };
        Path f = tmp.resolve("b.scap");
        FlagsTableTest.Output r = FlagsTableTest.run("record", "-w", f.toString());
        assertEquals(1, r.exit(), r.stderr());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(3, lines.size(), r.stderr());
        assertEquals("0 events, " + Files.size(f) + " bytes written to " + f + ", 5 lost", lines.get(1));
        assertEquals("wiretop: the syscall event stream failed: cannot read the syscall events: Bad file descriptor",
                lines.get(2));
        assertTrue(broken.closed.get());
        assertEquals(List.of(), tids(f), "the head alone, readable");
    }
}
