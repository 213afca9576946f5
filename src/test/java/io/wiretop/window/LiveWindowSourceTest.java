// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.scap.ScapHead;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live source over a fake stream: the stream's bytes decoded and folded with the machine's fd
 * list (the file's name), only the selection's events handed over, and the stream closed when the
 * window closes; a stream that cannot be opened is an error at once.
 */
class LiveWindowSourceTest {
    static ScapHead head() {
        ScapHead.Thread t = new ScapHead.Thread(300, 300, 1, 300, 300, "writer", "/bin/writer", "/bin/writer",
                new byte[0], "/", 1024, 0, 0, 0, 1000, 500, 0, 0, 0, new byte[0], 300, 300, new byte[0], "/", -1, 0, 0);
        ScapHead.Thread other = new ScapHead.Thread(400, 400, 1, 400, 400, "other", "/bin/other", "/bin/other",
                new byte[0], "/", 1024, 0, 0, 0, 1000, 500, 0, 0, 0, new byte[0], 400, 400, new byte[0], "/", -1, 0, 0);
        return new ScapHead(new ScapHead.Machine(1, 1L << 30, 4_194_304, "h", 0), List.of(), List.of(), List.of(),
                List.of(t, other), Map.of(300L, List.of(ScapHead.Fd.file(7, 1, "/tmp/out.txt", 2, 0),
                ScapHead.Fd.inet(8, 2, new byte[] {127, 0, 0, 1}, 40000, new byte[] {127, 0, 0, 1}, 9000, 2))));
    }

    @Test
    void echoesTheSelectedProcessWritesWithTheirFdNamesAndClosesTheStream() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(64);
        byte[] data = "known bytes".getBytes(StandardCharsets.US_ASCII);
        fake.add(FakeSyscallEvents.writeEnter(1000, 300, 7, data.length));
        fake.add(FakeSyscallEvents.writeExit(2000, 300, data.length, data));
        fake.add(FakeSyscallEvents.writeEnter(3000, 400, 7, 1)); // another process: not shown
        fake.add(FakeSyscallEvents.writeExit(4000, 400, 1, new byte[] {'x'}));
        fake.add(FakeSyscallEvents.writeEnter(5000, 300, 8, 4));
        fake.add(FakeSyscallEvents.writeExit(6000, 300, 4, "ping".getBytes(StandardCharsets.US_ASCII)));
        LiveWindowSource s = LiveWindowSource.start(WindowSelection.processes(Set.of(300L), "proc.pid=300"),
                () -> fake, LiveWindowSourceTest::head, java.time.ZoneOffset.UTC);
        List<WindowEvent> got = new ArrayList<>();
        long until = System.currentTimeMillis() + 5000;
        while (got.size() < 4 && System.currentTimeMillis() < until) {
            s.drain().forEach(got::addAll);
            Thread.sleep(10);
        }
        List<String> lines = new ArrayList<>();
        for (WindowEvent w : got) {
            EchoText.lines(w, EchoText.Mode.PRINTABLE, 80).forEach(l -> lines.add(l.text()));
        }
        assertEquals(List.of("------ Write 11B to /tmp/out.txt (writer)", "", "known bytes", "",
                "------ Write 4B to 127.0.0.1:40000->127.0.0.1:9000 (writer)", "", "ping", ""), lines);
        assertEquals(2000 - 1000, got.get(1).latency(), "enter to exit");
        s.close();
        assertTrue(fake.closed.get(), "closing the window closes the stream");
        assertNull(s.failure());
    }

    @Test
    void aStreamThatCannotOpenIsAnErrorAtOnce() {
        Exception e = assertThrows(Exception.class, () -> LiveWindowSource.start(
                WindowSelection.processes(Set.of(300L), "x"), () -> {
                    throw new java.io.IOException("the syscall stream needs root");
                }, LiveWindowSourceTest::head, java.time.ZoneOffset.UTC));
        assertEquals("the syscall stream needs root", e.getMessage());
    }
}
