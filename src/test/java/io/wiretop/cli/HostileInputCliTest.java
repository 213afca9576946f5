// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 items 3, 9 and 11 at the command line: a damaged capture prints the packets before the
 * damage, then one line {@code wiretop: FILE: offset N: reason}, exit 1 (as tcpdump prints what
 * it read, then its error); a too-deep or ill-typed filter is one line and a non-zero exit.
 */
class HostileInputCliTest {
    @TempDir
    Path tmp;

    record Run(int exit, List<String> out, List<String> err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private byte[] sample(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/io/wiretop/trace/pcap/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void pcapCutInsideARecordHeaderPrintsThePacketsBeforeThenOneLine() throws Exception {
        byte[] pcap = sample("sample-lo.pcap");
        int third = 24;
        for (int i = 0; i < 2; i++) {
            third += 16 + ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN).getInt(third + 8);
        }
        Path f = tmp.resolve("cut.pcap");
        Files.write(f, Arrays.copyOf(pcap, third + 5)); // 5 bytes of the third record's 16-byte header
        Run r = run("capture", "-r", f.toString());
        assertEquals(1, r.exit());
        assertEquals(2, r.out().size(), "the two whole packets: " + r.out());
        assertEquals(List.of("wiretop: " + f + ": offset " + third
                + ": packet record header cut short: 16 bytes needed, the file ends after 5"), r.err());
    }

    @Test
    void truncatedPcapNgIsOneLineWithOffsetNotNull() throws Exception {
        byte[] ng = sample("sample-lo.pcapng");
        Path f = tmp.resolve("cut.pcapng");
        Files.write(f, Arrays.copyOf(ng, ng.length - 10));
        Run r = run("capture", "-r", f.toString());
        assertEquals(1, r.exit());
        assertEquals(30, r.out().size(), "every packet but the cut last one");
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).matches("wiretop: .*cut\\.pcapng: offset \\d+: enhanced packet block of \\d+ bytes "
                + "cut short: \\d+ bytes needed, the file ends after \\d+"), r.err().get(0));
    }

    @Test
    void blockWhoseTrailingLengthDiffersIsRefused() throws Exception {
        byte[] ng = sample("sample-lo.pcapng");
        int epb = 128; // SHB 108 + IDB 20: the first packet block
        int len = ByteBuffer.wrap(ng).order(ByteOrder.LITTLE_ENDIAN).getInt(epb + 4);
        ByteBuffer.wrap(ng).order(ByteOrder.LITTLE_ENDIAN).putInt(epb + len - 4, len + 4);
        Path f = tmp.resolve("trailer.pcapng");
        Files.write(f, ng);
        Run r = run("capture", "-r", f.toString());
        assertEquals(1, r.exit());
        assertEquals(List.of(), r.out());
        assertEquals(List.of("wiretop: " + f + ": offset 128: enhanced packet block length " + len
                + " in its header but " + (len + 4) + " in its trailer"), r.err());
    }

    @Test
    void aHostileContainerIdIsEscapedInTheUsageLine() throws Exception {
        for (String cmd : List.of("capture", "record")) {
            Run r = cmd.equals("capture") ? run(cmd, "--container-id", "ab\u001b[2Jcd\nx")
                    : run(cmd, "-w", tmp.resolve("x.scap").toString(), "--container-id", "ab\u001b[2Jcd\nx");
            assertEquals(2, r.exit(), cmd);
            assertEquals(List.of("wiretop: --container-id ab\\x1b[2Jcd\\nx: a container id is 1 to 64 hex digits"),
                    r.err(), cmd);
        }
    }

    @Test
    void tooDeepOrIllTypedFiltersAreOneLine() {
        for (String filter : List.of("(".repeat(1200) + "proc.pid = 1" + ")".repeat(1200),
                "not ".repeat(20000) + "proc.pid = 1", "proc.pid = abc", "proc.pid = 99999999999999999999")) {
            Run r = run("--raw", "-n", "1", filter);
            assertNotEquals(0, r.exit());
            assertEquals(1, r.err().size(), r.err().toString());
            assertTrue(r.err().get(0).startsWith("wiretop: invalid filter at position "), r.err().get(0));
            assertTrue(r.err().get(0).matches(".*(nested deeper than 256 levels|proc\\.pid is a number: 'abc' is not one"
                    + "|proc\\.pid: '99999999999999999999' does not fit in 64 bits)"), r.err().get(0));
        }
    }

    @Test
    void captureFiltersTooDeepOrTooLongForLibpcapAreOneLine() throws Exception {
        Path f = tmp.resolve("s.pcap");
        Files.write(f, sample("sample-lo.pcap"));
        String chain = String.join(" or ", java.util.Collections.nCopies(3000, "tcp port 80"));
        for (String expr : List.of("(".repeat(20000) + "tcp" + ")".repeat(20000), chain)) {
            Run r = run("capture", "-r", f.toString(), expr);
            assertEquals(2, r.exit()); // a bad expression is a usage error (docs/flags.md)
            assertEquals(1, r.err().size(), r.err().toString());
            assertTrue(r.err().get(0).startsWith("wiretop: invalid filter: "), r.err().get(0));
            assertTrue(r.err().get(0).length() < 200, r.err().get(0));
        }
        // libpcap's own bound (bison's 10000 levels): its message, with the expression abbreviated
        Run r = run("capture", "-r", f.toString(), "not ".repeat(20000) + "tcp");
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("wiretop: invalid filter \"not not not not not not not not not not not "
                + "not not not not ...\" (80003 characters): "), r.err().get(0));
    }
}
