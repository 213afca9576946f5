// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bench.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay benchmark's file is what it claims: the asked number of events, in time order, each
 * exit right after its thread's enter, every promised kind present, and read by sysdig 0.29.3
 * without a word on stderr.
 */
class GenerateScapTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheEventsItPromisesInOrderAndSysdigReadsThem() throws Exception {
        Path file = tmp.resolve("bench.scap");
        long written = new GenerateScap().write(file, 30_000);
        assertTrue(written >= 30_000 && written <= 30_001, "events written: " + written);

        long n = 0, lastTs = 0;
        Map<Long, Integer> pendingEnter = new HashMap<>();
        Set<String> kinds = new TreeSet<>();
        try (ScapReader r = ScapReader.open(file)) {
            assertEquals(17, r.section().threads().size(), "threads in the head");
            for (ScapEvent e; (e = r.next()) != null; n++) {
                assertTrue(e.timestamp() >= lastTs, "time goes back at event " + n + ": " + e);
                lastTs = e.timestamp();
                kinds.add(e.name());
                int type = e.type();
                if (type == GenerateScap.PROCINFO_E || type == GenerateScap.PROCEXIT_1_E) {
                    continue;
                }
                if (e.enter()) {
                    Integer open = pendingEnter.put(e.tid(), type);
                    assertEquals(null, open, "thread " + e.tid() + " enters twice at event " + n);
                } else if (type == GenerateScap.CLONE_20_X && e.asLong(0, -1) == 0) {
                    assertTrue(!pendingEnter.containsKey(e.tid()), "the child's clone exit has no enter of its own");
                } else {
                    Integer enter = pendingEnter.remove(e.tid());
                    assertEquals(Integer.valueOf(type - 1), enter, "exit without its enter at event " + n + ": " + e);
                }
            }
        }
        assertEquals(written, n, "events read back");
        assertTrue(lastTs - GenerateScap.START_NS > GenerateScap.SPAN_NS * 9 / 10, "spread over the 60 s");
        assertTrue(kinds.containsAll(Set.of("read", "write", "sendto", "recvfrom", "openat", "close", "clone",
                "execve", "procexit", "procinfo", "futex")), kinds.toString());

        Process p = new ProcessBuilder("timeout", "120", "sysdig", "-r", file.toString(), "proc.pid=0").start();
        assertTrue(p.waitFor(130, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err.strip());
        assertEquals(0, p.getInputStream().readAllBytes().length, "proc.pid=0 matches nothing");
        assertTrue(Files.size(file) > written * 50, "events carry their data: " + Files.size(file) + " bytes");
    }
}
