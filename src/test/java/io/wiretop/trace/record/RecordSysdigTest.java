// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import static io.wiretop.events.FakeSyscallEvents.writeEnter;
import static io.wiretop.events.FakeSyscallEvents.writeExit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.trace.scap.ScapHead;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sysdig 0.29.3 reads what the recorder writes: plain, gzip, a gzip file cut short, each rotated file alone. */
class RecordSysdigTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path tmp;

    private static String sysdig(Path file, String filter) throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", file.toString(), filter)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static long writes(String out, String name) {
        return out.lines().filter(l -> l.contains(name + " (") && l.contains("write")).count();
    }

    @Test
    void sysdigReadsPlainGzipCutAndRotatedRecordings() throws Exception {
        long self = ProcessHandle.current().pid();
        ScapHead head = HostSnapshot.system().take();
        for (boolean gzip : new boolean[]{false, true}) {
            FakeSyscallEvents fake = new FakeSyscallEvents(100);
            for (int i = 0; i < 10; i++) { // this JVM writes "hello" to its stderr, 10 times
                fake.add(writeEnter(T0 + 2L * i, self, 2, 5));
                fake.add(writeExit(T0 + 2L * i + 1, self, 5, "hello".getBytes(StandardCharsets.UTF_8)));
            }
            Path f = tmp.resolve("s" + gzip + ".scap");
            Recorder r = Recorder.start(new Recorder.Options(f, gzip, new RecordLimits(0, 0, 8, 0, 0), null), fake,
                    () -> head);
            while (r.status().events() < 20) {
                Thread.sleep(5);
            }
            Thread.sleep(250);
            Path cut = tmp.resolve("cut" + gzip + ".scap");
            Files.copy(tmp.resolve(f.getFileName() + "2"), cut); // the last file, still open: no gzip trailer
            r.stop();
            String comm = head.threads().stream().filter(t -> t.tid() == self).findFirst().orElseThrow().comm();
            long total = 0;
            for (int i = 0; i < 3; i++) {
                String out = sysdig(tmp.resolve(f.getFileName() + Integer.toString(i)), "evt.type=write");
                assertTrue(out.contains(comm + " (" + self + ") < write res=5 data=hello"), out);
                total += writes(out, comm);
            }
            assertEquals(20, total, "8 + 8 + 4 events, each file read alone, the process named from its own head");
            assertEquals(4, writes(sysdig(cut, "evt.type=write"), comm), "the unfinished file up to its last batch");
        }
    }
}
