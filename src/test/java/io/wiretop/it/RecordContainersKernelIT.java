// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code record --container-name / --pod} with real podman containers ({@link Runtimes}): a target
 * container and a neighbour (both --network none) each run a shell that reads a file in a loop. The
 * recording selects in the kernel by cgroup, so it holds the target's shell's events and not one
 * event of the neighbour's; wiretop's own reader ({@code -r FILE --json -v containers}) lists the
 * target by name and not the neighbour; sysdig reads the file (its 0.29.3 cannot tie podman's
 * cgroupfs threads to their container, so attribution is checked with our reader and /proc).
 */
class RecordContainersKernelIT {
    /** A shell loop doing syscalls of its own (busybox sh reads with its builtin, no child). */
    private static final String LOOP = "while :; do read x < /etc/passwd; sleep 0.1; done";
    private static Runtimes rt;
    private static Runtimes.Podman podman;
    private static Runtimes.Container target, neighbour;
    private static String pod;

    @BeforeAll
    static void containers() throws Exception {
        KernelHarness.requireRoot();
        rt = Runtimes.open("ctrrec");
        podman = rt.podman();
        podman.service();
        podman.pod("pod");
        pod = rt.tag() + "-pod";
        target = podman.run("tgt", List.of("--pod", pod), "sh", "-c", LOOP);
        neighbour = podman.run("nb", List.of("--network", "none"), "sh", "-c", LOOP);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void containerNameRecordsTheContainersEventsAndNoneOfTheNeighbours() throws Exception {
        assertTargetOnly(record("name", "--container-name", target.name()));
    }

    @Test
    void podRecordsItsContainersEventsAndNoneOfTheNeighbours() throws Exception {
        assertTargetOnly(record("pod", "--pod", pod));
    }

    /**
     * A container started after the recording's head: its container event is in the file once, and
     * its shell's events go on after it (the filter keeps the shells' events only: a small file). Its
     * first events come before it: the container's process runs before its runtime can name it, and
     * the recorder does not hold events back for the runtime's answer (sysdig's own dumps do the same).
     */
    @Test
    void aContainerStartedWhileRecordingGetsItsContainerEvent() throws Exception {
        Path f = rt.dir().resolve("late.scap"), err = rt.dir().resolve("late.err");
        Process rec = rt.wiretop("record", "-w", f.toString(), "proc.name", "=", "sh").redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Runtimes.Container late;
        try {
            KernelHarness.awaitStderr(rec, err, "recording");
            late = podman.run("late", List.of("--network", "none"), "sh", "-c", LOOP);
            Thread.sleep(2000);
        } finally {
            KernelHarness.term(rec);
        }
        assertEquals(0, rec.exitValue(), Files.readString(err));
        long namedAt = -1, lastEventAt = -1, index = 0;
        int namings = 0;
        try (ScapReader r = ScapReader.open(f)) {
            for (ScapEvent e; (e = r.next()) != null; index++) {
                if (e.type() == 324 && KernelHarness.JSON.readTree(e.asString(0)).get("container").get("name").asText()
                        .equals(late.name())) {
                    namedAt = index;
                    namings++;
                    assertEquals(late.id(), KernelHarness.JSON.readTree(e.asString(0)).get("container").get("full_id")
                            .asText());
                } else if (e.tid() == late.pid() && !e.name().equals("procinfo")) {
                    lastEventAt = index;
                }
            }
        }
        assertTrue(lastEventAt >= 0, "the late container's shell " + late.pid() + " has events");
        assertEquals(1, namings, "one container event for it");
        assertTrue(namedAt < lastEventAt, "named at " + namedAt + ", its last event at " + lastEventAt);
        Process sd = new ProcessBuilder("sysdig", "-r", f.toString(), "proc.pid=" + late.pid())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(sd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sd.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, sd.exitValue(), text);
        assertTrue(text.contains("/etc/passwd"), text);
    }

    @Test
    void aNameNoContainerHasIsOneLineAndExitOne() throws Exception {
        Path f = rt.dir().resolve("none.scap");
        Process p = rt.wiretop("record", "-w", f.toString(), "--container-name", rt.tag() + "-none").start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("wiretop: --container-name " + rt.tag() + "-none: no running container has this name\n", err);
        assertFalse(Files.exists(f), "nothing recorded");
    }

    /** Records with these options for a few of the loops' rounds; the file. */
    private static Path record(String tag, String... select) throws Exception {
        Path f = rt.dir().resolve(tag + ".scap"), err = rt.dir().resolve(tag + ".err");
        List<String> args = new ArrayList<>(List.of("record", "-w", f.toString()));
        args.addAll(List.of(select));
        Process rec = rt.wiretop(args.toArray(String[]::new)).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            KernelHarness.awaitStderr(rec, err, "recording");
            Thread.sleep(2000); // about 20 rounds of each loop
        } finally {
            KernelHarness.term(rec);
        }
        assertEquals(0, rec.exitValue(), Files.readString(err));
        return f;
    }

    private static void assertTargetOnly(Path f) throws Exception {
        Set<Long> tids = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        try (ScapReader r = ScapReader.open(f)) {
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() == 324) { // PPME_CONTAINER_JSON_2_E: one JSON parameter
                    named.add(KernelHarness.JSON.readTree(e.asString(0)).get("container").get("name").asText());
                }
                // the head's procinfo (every process) and container events are the recorder's own
                if (!e.name().equals("procinfo") && !e.name().contains("container")) {
                    tids.add(e.tid());
                }
            }
        }
        assertTrue(named.contains(target.name()), "the file's container events name the target: " + named);
        assertTrue(tids.contains(target.pid()), "the target's shell " + target.pid() + " in " + tids);
        assertFalse(tids.contains(neighbour.pid()), "the neighbour's shell " + neighbour.pid() + " in " + tids);
        // every thread still alive is in the target's cgroup (sleep children are gone by now)
        for (long tid : tids) {
            Path cg = Path.of("/proc", Long.toString(tid), "cgroup");
            if (Files.exists(cg)) {
                String line = Files.readString(cg);
                assertTrue(line.contains(target.id()), tid + ": " + line);
            }
        }
        // wiretop's own reader reads it (its head lists every process, so both containers have rows;
        // the events are the target's only, checked above)
        Process p = rt.wiretop("-r", f.toString(), "--json", "-v", "containers").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), json);
        assertTrue(json.contains("\"" + target.id().substring(0, 12) + "\""), json);
        // sysdig reads the file whole
        Process sd = new ProcessBuilder("sysdig", "-r", f.toString(), "proc.pid=" + target.pid())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(sd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sd.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, sd.exitValue(), text);
        assertTrue(text.contains("/etc/passwd"), text);
    }
}
