// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.host.ProcFs;
import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.scap.EventInfo;
import io.wiretop.trace.scap.EventTable;
import io.wiretop.view.FilterSyntaxException;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording filter's fields on scap-encoded events. */
class EventFilterTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    /** An event of {@code type} with every parameter of the table, zero unless given (by name). */
    static ByteBuffer ev(long tid, int type, Map<String, Object> given) {
        EventInfo info = EventTable.get(type);
        Object[] params = new Object[info.paramCount()];
        for (int i = 0; i < params.length; i++) {
            Object v = given.get(info.paramNames().get(i));
            params[i] = v != null ? v : switch (info.paramTypes().get(i)) {
                case CHARBUF, FSPATH, FSRELPATH -> "";
                case BYTEBUF -> new byte[0];
                case INT32, UINT32, FLAGS32, UID, GID, MODE -> 0;
                default -> 0L;
            };
        }
        return ByteBuffer.wrap(FakeSyscallEvents.event(T0, tid, type, params));
    }

    private boolean matches(String expr, ByteBuffer... events) throws FilterSyntaxException {
        EventFilter f = EventFilter.parse(expr, ProcFs.system());
        boolean last = false;
        for (ByteBuffer e : events) {
            int pos = e.position();
            last = f.test(e);
            assertEquals(pos, e.position(), "the event is left as it was");
        }
        return last;
    }

    @Test
    void typeDirectionResultAndIds() throws Exception {
        ByteBuffer closeEnter = ev(SELF, 4, Map.of("fd", 7L));
        ByteBuffer closeExit = ev(SELF, 5, Map.of("res", -9L));
        assertTrue(matches("evt.type = close and evt.dir = '>' and fd.num = 7 and thread.tid = " + SELF, closeEnter));
        assertFalse(matches("evt.dir = '<'", closeEnter));
        assertTrue(matches("evt.res = EBADF and evt.rawres = -9 and fd.num = 7", closeEnter, closeExit),
                "an exit takes its enter's fd");
        assertFalse(matches("evt.res exists", closeEnter), "an enter has no result");
        assertTrue(matches("evt.res = SUCCESS", ev(SELF, 9, Map.of("res", 5L))));
        assertTrue(matches("evt.type = lseek", ev(SELF, 1, Map.of("ID", (short) EventTable.syscallCode("lseek")))),
                "a generic event by its syscall");
        assertTrue(matches("proc.pid = " + SELF, closeEnter));
    }

    @Test
    void processNamesFromProcAndFromExecAndCloneEvents() throws Exception {
        String comm = ProcFs.system().taskComm(SELF, SELF);
        assertTrue(matches("proc.name = '" + comm + "'", ev(SELF, 4, Map.of("fd", 1L))), "a live process: /proc");
        long gone = 4_194_000; // no such thread: its name only from its own events
        assertFalse(matches("proc.name exists", ev(gone, 4, Map.of("fd", 1L))));
        EventFilter f = EventFilter.parse("proc.name = curl", ProcFs.system());
        assertTrue(f.test(ev(gone, 293, Map.of("res", 0L, "comm", "curl", "pid", gone))), "execve's exit names the program");
        assertTrue(f.test(ev(gone, 4, Map.of("fd", 1L))), "and its later events");
        assertTrue(f.test(ev(gone + 1, 223, Map.of("res", 0L, "comm", "curl", "pid", gone + 1))), "a forked child");
        assertFalse(f.test(ev(gone + 2, 293, Map.of("res", -2L, "comm", "curl"))), "a failed execve renames nothing");
    }

    @Test
    void fdNamesAndTypesFromProc() throws Exception {
        Path file = Files.writeString(tmp.resolve("data.txt"), "x");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long fd = -1;
            for (int i = 0; i < 4096 && fd < 0; i++) {
                if (file.toString().equals(ProcFs.system().fdTarget(SELF, i))) {
                    fd = i;
                }
            }
            assertTrue(fd >= 0);
            ByteBuffer read = ev(SELF, 6, Map.of("fd", fd));
            assertTrue(matches("fd.name = '" + file + "' and fd.type = file", read));
            assertTrue(matches("fd.name contains data.txt", read, ev(SELF, 7, Map.of("res", 1L))), "the exit too");
            assertFalse(matches("fd.type = socket", read));
        }
    }

    @Test
    void unknownFieldsAndBadValuesAreSyntaxErrors() {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> EventFilter.parse("proc.cpu > 5", ProcFs.system()));
        assertEquals(0, e.position());
        assertThrows(FilterSyntaxException.class, () -> EventFilter.parse("thread.tid = x", ProcFs.system()));
    }

    @Test
    void fdTypeNames() {
        assertEquals("file", EventFilter.fdType("/etc/passwd"));
        assertEquals("socket", EventFilter.fdType("socket:[123]"));
        assertEquals("pipe", EventFilter.fdType("pipe:[9]"));
        assertEquals("anon", EventFilter.fdType("anon_inode:[eventpoll]"));
        assertEquals("other", EventFilter.fdType("/dev/null".substring(1)));
    }
}
