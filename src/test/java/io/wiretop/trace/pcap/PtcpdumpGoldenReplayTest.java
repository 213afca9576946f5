// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.FeedRun;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ptcpdump's own golden capture (resources README) replays as ptcpdump describes it: the
 * processes, connections and per-direction IP lengths of its {@code -v} output, summed here.
 */
class PtcpdumpGoldenReplayTest {
    private static final Pattern PACKET = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+ (In|Out) IP .*length (\\d+)\\)$");
    private static final Pattern TUPLE = Pattern.compile("^    (\\S+)\\.(\\d+) > (\\S+)\\.(\\d+): ");
    private static final Pattern PROCESS = Pattern.compile("^    Process \\(pid (\\d+), cmd (\\S+), args (.*)\\)$");
    private static final Pattern USER = Pattern.compile("^    User \\(uid (\\d+)\\)$");

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = PtcpdumpGoldenReplayTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /**
     * Per (pid, cmd, args, local endpoint, remote endpoint): {IP bytes in, IP bytes out, uid}, from
     * ptcpdump's -v text (the local end is the source of an Out packet, the destination of an In one).
     */
    private static Map<String, long[]> expected(String file) throws Exception {
        Map<String, long[]> sums = new HashMap<>();
        long[] last = null;
        String dir = null, tuple = null;
        long length = 0;
        for (String line : new String(resource(file + ".-v.out.txt"), StandardCharsets.UTF_8).split("\n")) {
            Matcher p = PACKET.matcher(line.stripTrailing()), t = TUPLE.matcher(line), pr = PROCESS.matcher(line.stripTrailing());
            Matcher u = USER.matcher(line.stripTrailing());
            if (u.matches() && last != null) {
                last[2] = Long.parseLong(u.group(1));
            }
            if (p.matches()) {
                dir = p.group(1);
                length = Long.parseLong(p.group(2));
                tuple = null;
            } else if (dir != null && tuple == null && t.find()) {
                boolean out = dir.equals("Out");
                tuple = out ? t.group(1) + ":" + t.group(2) + "->" + t.group(3) + ":" + t.group(4)
                        : t.group(3) + ":" + t.group(4) + "->" + t.group(1) + ":" + t.group(2);
            } else if (dir != null && pr.matches()) {
                long[] s = sums.computeIfAbsent(pr.group(1) + " " + pr.group(2) + " " + pr.group(3) + " " + tuple,
                        k -> new long[]{0, 0, -1});
                s[dir.equals("Out") ? 1 : 0] += length;
                last = s;
                dir = null;
            }
        }
        return sums;
    }

    @ParameterizedTest
    @CsvSource({"curl-thread.pcapng, 10, 1, 53229", "curl-user.pcapng, 5, 1, 18840", "tcp.pcapng, 24, 2, 345626"})
    void theGoldenCaptureReplaysAsPtcpdumpPrintsIt(String name, int packets, int connections, long ppid,
                                                   @TempDir Path tmp) throws Exception {
        Map<String, long[]> want = expected(name);
        assertEquals(connections, want.size(), "connections in the golden file: " + want.keySet());
        Path f = Files.write(tmp.resolve(name), resource(name));
        try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
            assertTrue(feed.label().startsWith(f + " (" + packets + " pkts, "), feed.label());
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            assertNull(r.error());
            Snapshot s = r.last();
            Map<String, long[]> got = new HashMap<>();
            for (ConnectionRow c : PtcpdumpReplayTest.rows(s, Snapshot.CONNECTIONS, ConnectionRow.class)) {
                ProcessRow p = PtcpdumpReplayTest.process(s, c.pid());
                got.put(c.pid() + " /usr/bin/" + p.comm() + " " + p.cmdline() + " " + c.lip() + ":" + c.lport() + "->"
                        + c.rip() + ":" + c.rport(), new long[]{c.wireIn(), c.wireOut(), p.uid()});
                assertEquals(ppid > 0 ? ppid : 0, p.ppid());
            }
            assertEquals(want.keySet(), got.keySet());
            long in = 0, out = 0;
            for (String k : want.keySet()) {
                assertEquals(List.of(want.get(k)[0], want.get(k)[1], want.get(k)[2]),
                        List.of(got.get(k)[0], got.get(k)[1], got.get(k)[2]), k + ": WIRE in, out, uid");
                in += want.get(k)[0];
                out += want.get(k)[1];
            }
            List<ProcessRow> procs = PtcpdumpReplayTest.rows(s, Snapshot.PROCESSES, ProcessRow.class);
            assertEquals(1, procs.size(), "one process: " + procs);
            assertEquals(List.of(in, out), List.of(procs.get(0).wireIn(), procs.get(0).wireOut()));
        }
    }
}
