// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every `unit` row of docs/flags.md: the bad command line runs through {@link Main#run} and prints
 * exactly the documented lines on stderr, with the documented exit code. None of these rows gets
 * as far as the kernel: they need no root, and they must not need it.
 */
class FlagsTableTest {
    @TempDir
    Path tmp;

    record Output(int exit, String stdout, String stderr) {
    }

    static Output run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Output(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static List<FlagsTable> unitRows() throws IOException {
        return FlagsTable.rows("unit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unitRows")
    void aBadCommandLinePrintsItsDocumentedLine(FlagsTable row) {
        assertTrue(row.env().isEmpty(), "a unit row cannot set the environment: make it a jar row");
        // a check that is missing lets the command go on to capture: that must fail the row, not hang it
        Output r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> run(row.args(tmp).toArray(String[]::new)), () -> "did not stop by itself: " + row.text());
        assertEquals(row.stderr(), r.stderr().lines().toList(), row.text());
        assertEquals(row.exit(), r.exit(), row.text());
        assertEquals("", r.stdout(), "nothing on stdout: " + row.text());
    }

    @Test
    void theTableCoversBothCommandsAndEveryKindOfRow() throws IOException {
        List<FlagsTable> all = FlagsTable.rows(null);
        assertTrue(all.size() >= 50, "rows: " + all.size());
        for (FlagsTable r : all) {
            assertTrue(List.of("unit", "jar", "jar, as nobody").contains(r.testedBy()), r + ": " + r.testedBy());
            assertTrue(r.exit() == 1 || r.exit() == 2, r.text());
            r.stderr().forEach(l -> assertTrue(l.startsWith("wiretop"), r.text()));
        }
    }

    /** Issue 8 item 12: the help had six "[picocli WARN] ... Format specifier '% o'" lines before it. */
    @Test
    void helpPrintsNoPicocliWarnings() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"capture", "--help"})) {
            Output r = run(args);
            assertEquals(0, r.exit());
            assertEquals("", r.stderr(), String.join(" ", args));
            assertFalse(r.stdout().contains("[picocli"), r.stdout());
            assertTrue(r.stdout().startsWith("Usage: wiretop"), r.stdout());
        }
        assertTrue(run("--help").stdout().replaceAll("\\s+", " ").contains("(about 8% on a small-packet load)"));
    }

    /** Issue 8 item 10: the help states the snap length the capture really keeps. */
    @Test
    void helpStatesTheSnapLengthTheKernelKeeps() {
        String help = run("capture", "--help").stdout().replaceAll("\\s+", " ");
        assertTrue(help.contains("at most " + io.wiretop.packet.PktLayout.MAX_SNAP + " (0 or not given: "
                + io.wiretop.packet.PktLayout.MAX_SNAP + ", as tcpdump)"), help);
        assertEquals(262144, io.wiretop.packet.PktLayout.MAX_SNAP, "tcpdump's default and maximum");
    }

    /** Issue 8 item 14: a --pname longer than the kernel's comm is compared by its first 15 bytes. */
    @Test
    void aLongProcessNameIsCutAsTheKernelCutsIt() {
        assertEquals("wiretop-long-pr", CaptureCommand.kernelComm("wiretop-long-process-name"));
        assertEquals("exactly15bytes!", CaptureCommand.kernelComm("exactly15bytes!"));
        assertEquals("systemd-resolve", CaptureCommand.kernelComm("systemd-resolved"));
    }
}
