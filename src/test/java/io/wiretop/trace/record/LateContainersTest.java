// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import static io.wiretop.events.FakeSyscallEvents.writeEnter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container that starts after the recording's head gets its container event in the file when one
 * of its threads first appears, before that thread's first event, once per file; one whose runtime
 * answers late gets it before the first event after the answer. Read back by wiretop's own reader.
 */
class LateContainersTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    // threads the head does not hold: two of the late container, one on the host
    private static final long A = 3_999_001, B = 3_999_002, HOST = 3_999_003;
    private static final ContainerMeta META = new ContainerMeta(ID, "late", "localhost/bb:1", "podman", null, null,
            Map.of());

    @TempDir
    Path tmp;

    private static String containerOf(long tid) {
        return tid == A || tid == B ? ID : null;
    }

    /** "container NAME" or "tid" for each event of the file after its head (procinfo left out). */
    private static List<String> events(Path f) throws Exception {
        List<String> out = new ArrayList<>();
        try (ScapReader r = ScapReader.open(f)) {
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() == 324) {
                    out.add("container " + new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.asString(0))
                            .get("container").get("name").asText());
                } else if (!e.name().equals("procinfo")) {
                    out.add(Long.toString(e.tid()));
                }
            }
        }
        return out;
    }

    /** This machine's head: none of its threads is in the test's container. */
    private static final ScapHead HEAD = io.wiretop.trace.scap.HostSnapshot.system().take();

    private Path record(ContainerDirectory d, FakeSyscallEvents fake, int events, RecordLimits limits) throws Exception {
        Path f = tmp.resolve("late.scap");
        Recorder r = Recorder.start(new Recorder.Options(f, false, limits, null, d, LateContainersTest::containerOf),
                fake, () -> HEAD);
        long deadline = System.currentTimeMillis() + 30_000;
        while (r.status().events() < events && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        RecordStatus end = r.stop();
        assertEquals(null, end.error());
        return f;
    }

    @Test
    void aContainerStartedAfterTheHeadIsNamedBeforeItsFirstThreadsFirstEvent() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(10);
        fake.add(writeEnter(T0, HOST, 1, 1));
        fake.add(writeEnter(T0 + 1, A, 1, 1));
        fake.add(writeEnter(T0 + 2, B, 1, 1));
        fake.add(writeEnter(T0 + 3, A, 1, 1));
        Path f = record(id -> id.equals(ID) ? META : ContainerMeta.idOnly(id), fake, 4, null);
        assertEquals(List.of(Long.toString(HOST), "container late", Long.toString(A), Long.toString(B),
                Long.toString(A)), events(f));
    }

    @Test
    void aRuntimeThatAnswersLateHasTheEventWrittenBeforeTheNextEventAfterItsAnswer() throws Exception {
        AtomicBoolean answered = new AtomicBoolean();
        FakeSyscallEvents fake = new FakeSyscallEvents(1);
        fake.add(writeEnter(T0, A, 1, 1));
        ContainerDirectory d = id -> answered.get() && id.equals(ID) ? META : ContainerMeta.idOnly(id);
        Recorder r = Recorder.start(new Recorder.Options(tmp.resolve("late.scap"), false, null, null, d,
                LateContainersTest::containerOf), fake, () -> HEAD);
        while (r.status().events() < 1) {
            Thread.sleep(5);
        }
        answered.set(true);
        Thread.sleep(2 * LateContainers.RETRY_NANOS / 1_000_000);
        fake.add(writeEnter(T0 + 1, B, 1, 1));
        while (r.status().events() < 2) {
            Thread.sleep(5);
        }
        assertEquals(null, r.stop().error());
        assertEquals(List.of(Long.toString(A), "container late", Long.toString(B)), events(tmp.resolve("late.scap")));
    }

    @Test
    void eachRotatedFileNamesTheContainerAgain() throws Exception {
        FakeSyscallEvents fake = new FakeSyscallEvents(10);
        fake.add(writeEnter(T0, A, 1, 1));
        fake.add(writeEnter(T0 + 1, A, 1, 1));
        record(id -> id.equals(ID) ? META : ContainerMeta.idOnly(id), fake, 2,
                new RecordLimits(0, 0, 1, 0, 0));
        assertEquals(List.of("container late", Long.toString(A)), events(tmp.resolve("late.scap0")));
        assertEquals(List.of("container late", Long.toString(A)), events(tmp.resolve("late.scap1")));
    }

}
