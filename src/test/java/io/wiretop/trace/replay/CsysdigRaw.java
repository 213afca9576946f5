// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.trace.scap.ScapFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * csysdig 0.29.3's {@code --raw} outputs recorded in shared/fixtures/scap/README.md, parsed into
 * cells by column name. A raw line right-aligns numbers in 10 characters, separates cells by one
 * space and ends with one; text cells (USER, the connection's ends) are not padded, so a blank USER
 * is an empty cell between two spaces.
 */
final class CsysdigRaw {
    static final List<String> PROCS = List.of("PID", "PPID", "CPU", "USER", "TH", "VIRT", "RES", "FILE", "NET", "Command");
    static final List<String> CONNECTIONS = List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT", "BPS IN", "BPS OUT", "IOPS",
            "Command");

    private CsysdigRaw() {
    }

    /** The rows csysdig printed for {@code csysdig -r FILE.scap --raw -v VIEW}. */
    static List<Map<String, String>> rows(String fixture, String view) throws IOException {
        List<String> lines = lines(fixture, view);
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : lines) {
            out.add(view.equals("procs") ? proc(l) : connection(l));
        }
        return out;
    }

    private static List<String> lines(String fixture, String view) throws IOException {
        String readme = Files.readString(ScapFixtures.path(fixture).resolveSibling("README.md"));
        String marker = "`csysdig -r " + fixture + ".scap --raw -v " + view + "` (exit 0):";
        int at = readme.indexOf(marker);
        assertTrue(at >= 0, "README has no " + marker);
        String[] all = readme.substring(at).split("\n");
        List<String> rows = new ArrayList<>();
        int dashes = 0;
        for (String l : all) {
            if (l.equals("----------------------")) {
                if (++dashes == 2) {
                    return rows;
                }
            } else if (dashes == 1) {
                assertTrue(l.endsWith(" "), "a raw line ends with one space: [" + l + "]");
                rows.add(l.substring(0, l.length() - 1));
            }
        }
        throw new AssertionError("unterminated sample for " + marker);
    }

    private static Map<String, String> proc(String l) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PID", l.substring(0, 10).strip());
        m.put("PPID", l.substring(11, 21).strip());
        m.put("CPU", l.substring(22, 32).strip());
        int userEnd = l.indexOf(' ', 33);
        m.put("USER", l.substring(33, userEnd));
        int at = userEnd + 1;
        for (String c : List.of("TH", "VIRT", "RES", "FILE", "NET")) {
            m.put(c, l.substring(at, at + 10).strip());
            at += 11;
        }
        m.put("Command", l.substring(at));
        return m;
    }

    private static Map<String, String> connection(String l) {
        Map<String, String> m = new LinkedHashMap<>();
        int at = 0;
        for (String c : List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT")) {
            int end = l.indexOf(' ', at);
            m.put(c, l.substring(at, end));
            at = end + 1;
        }
        for (String c : List.of("BPS IN", "BPS OUT", "IOPS")) {
            m.put(c, l.substring(at, at + 10).strip());
            at += 11;
        }
        m.put("Command", l.substring(at));
        return m;
    }
}
