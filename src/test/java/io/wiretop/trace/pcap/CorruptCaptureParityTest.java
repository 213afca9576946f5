// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.CaptureFileException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged captures read by wiretop and by tcpdump (libpcap): every file tcpdump refuses must be
 * refused by us too, or read with a warning (a link type wiretop does not decode; interfaces of
 * different link types or snapshot lengths, which pcapng allows and libpcap refuses); a file
 * tcpdump reads whole must not lose packets here without an error. The corpus is ~1600
 * deterministic mutants of five real files (see {@link CaptureCorpus}).
 */
class CorruptCaptureParityTest {
    private static final Pattern COUNT = Pattern.compile("^(\\d+) packets?$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    /**
     * What a reader made of a file: how many packets it gave, the error it ended with (null: none)
     * and whether it warned (tcpdump: never).
     */
    record Verdict(int packets, String error, boolean warned) {
        boolean failed() {
            return error != null;
        }
    }

    static Verdict tcpdump(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tcpdump", "--count", "-r", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Matcher m = COUNT.matcher(out);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
        List<String> errors = err.lines().filter(l -> !l.startsWith("reading from file")).toList();
        return new Verdict(n, rc != 0 || !errors.isEmpty() ? String.join(" / ", errors) + " (exit " + rc + ")" : null,
                false);
    }

    /** Our reader; anything other than a {@link CaptureFileException} fails the test right away. */
    static Verdict ours(byte[] file) throws IOException {
        int n = 0;
        boolean warned = false;
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            warned = !r.takeWarnings().isEmpty();
            while (r.next() != null) {
                n++;
                warned |= !r.takeWarnings().isEmpty();
            }
            return new Verdict(n, null, warned);
        } catch (CaptureFileException e) {
            return new Verdict(n, e.getMessage(), warned);
        }
    }

    @Test
    void everyFileTcpdumpRefusesIsRefusedAndNoneIsSilentlyShortened() throws Exception {
        List<CaptureCorpus.Mutant> mutants = new ArrayList<>();
        Random rnd = new Random(8);
        for (CaptureCorpus.Base b : CaptureCorpus.bases()) {
            assertEquals(new Verdict(b.packets(), null, false), ours(b.bytes()), b.name() + " itself reads whole");
            mutants.addAll(CaptureCorpus.truncations(b));
            mutants.addAll(CaptureCorpus.lengthEdits(b));
            mutants.addAll(CaptureCorpus.snaplenEdits(b));
            mutants.addAll(CaptureCorpus.interfaceBitFlips(b));
            mutants.addAll(CaptureCorpus.bitFlips(b, rnd, 40));
        }
        List<String> missed = new ArrayList<>(), shortened = new ArrayList<>(), stricter = new ArrayList<>(),
                fewerBeforeError = new ArrayList<>(), warned = new ArrayList<>();
        int refusedByTcpdump = 0;
        Path f = tmp.resolve("m");
        for (CaptureCorpus.Mutant m : mutants) {
            Files.write(f, m.bytes());
            Verdict theirs = tcpdump(f), mine = ours(m.bytes());
            String line = m + ": tcpdump " + theirs + ", wiretop " + mine;
            if (theirs.failed()) {
                refusedByTcpdump++;
                if (!mine.failed() && mine.warned()) {
                    warned.add(line);
                } else if (!mine.failed()) {
                    missed.add(line);
                } else if (mine.packets() < theirs.packets()) {
                    fewerBeforeError.add(line);
                }
            } else if (!mine.failed() && mine.packets() != theirs.packets()) {
                shortened.add(line);
            } else if (mine.failed()) {
                stricter.add(line);
            }
        }
        System.out.printf("%d mutants, %d refused by tcpdump, %d of them read by wiretop with a warning; wiretop "
                + "stricter on %d:%n  %s%n", mutants.size(), refusedByTcpdump, warned.size(), stricter.size(),
                String.join("\n  ", stricter));
        assertTrue(mutants.size() > 600, "corpus size " + mutants.size());
        assertTrue(refusedByTcpdump > 200, "the corpus exercises tcpdump's errors: " + refusedByTcpdump);
        assertEquals(List.of(), missed, "refused by tcpdump, read without error by wiretop");
        assertEquals(List.of(), shortened, "read whole by both, with different packet counts");
        assertEquals(List.of(), fewerBeforeError, "wiretop shows fewer packets before the damage than tcpdump");
    }

    /** Obsolete Packet Blocks (type 2) were skipped without a word: a whole file read as empty. */
    @Test
    void obsoletePacketBlocksAreReadAsTcpdumpReadsThem() throws Exception {
        CaptureCorpus.Base editcap = CaptureCorpus.bases().get(2);
        byte[] m = editcap.bytes().clone();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int[] u : editcap.units()) {
            if (bb.getInt(u[0]) == 6) {
                bb.putInt(u[0], 2); // an EPB on interface 0 is a PB with interface 0 and 0 drops
            }
        }
        Path f = tmp.resolve("pb.pcapng");
        Files.write(f, m);
        assertEquals(new Verdict(31, null, false), tcpdump(f));
        assertEquals(new Verdict(31, null, false), ours(m));
    }
}
