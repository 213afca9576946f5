// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every line sysdig 0.29.3 prints for each fixture, equal to ours: {@code TZ=UTC sysdig -r FILE}
 * (and {@code -X}, {@code -A}) as {@code scripts/gen-sysdig-lines.sh} recorded them in
 * {@code src/test/resources/sysdig/}. sysdig refuses curl_google_comments.scap (options in its
 * section header), whose events are those of curl_google.scap: it is compared with that file's
 * output. sysdig stops at the truncated end of test_ipv6_client.scap; so does our reader.
 * {@code synthetic.scap} ({@link SyntheticCapture}) covers the types and fd kinds the fixtures lack.
 */
class SysdigLineFixtureTest {

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({
        "curl_google, curl_google, DOTTED",
        "single_ipv6_conn, single_ipv6_conn, DOTTED",
        "test_ipv6_client, test_ipv6_client, DOTTED",
        "curl_google_comments, curl_google, DOTTED",
        "curl_google, curl_google, HEX",
        "single_ipv6_conn, single_ipv6_conn, HEX",
        "test_ipv6_client, test_ipv6_client, HEX",
        "curl_google, curl_google, ASCII",
        "single_ipv6_conn, single_ipv6_conn, ASCII",
        "test_ipv6_client, test_ipv6_client, ASCII",
        "synthetic, synthetic, DOTTED",
        "synthetic, synthetic, HEX",
        "synthetic, synthetic, ASCII",
    })
    void everyLineAsSysdigPrintsIt(String fixture, String expectedOf, SysdigLine.Buffers buffers) throws IOException {
        List<String> expected = expected(expectedOf, buffers);
        List<String> ours = ours(fixture, buffers);
        assertTrue(expected.size() >= 20, "sysdig's output of " + expectedOf + " missing");
        int n = Math.min(expected.size(), ours.size());
        for (int i = 0; i < n; i++) {
            assertEquals(expected.get(i), ours.get(i), fixture + " event line " + (i + 1));
        }
        assertEquals(expected.size(), ours.size(), fixture + ": lines printed");
    }

    /** sysdig's output, one string per event (a -X/-A event spans several lines: split at each event's number). */
    static List<String> expected(String name, SysdigLine.Buffers buffers) throws IOException {
        String suffix = switch (buffers) {
            case DOTTED -> "";
            case HEX -> ".X";
            case ASCII -> ".A";
        };
        try (InputStream in = SysdigLineFixtureTest.class.getResourceAsStream("/sysdig/" + name + suffix + ".txt")) {
            assertTrue(in != null, name + suffix + ".txt missing");
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> events = new ArrayList<>();
            for (String part : all.split("\n(?=\\d+ \\d\\d:\\d\\d:\\d\\d\\.\\d{9} \\d+ )")) {
                events.add(part.endsWith("\n") ? part.substring(0, part.length() - 1) : part);
            }
            return events;
        }
    }

    /** The committed synthetic capture, checked to be what SyntheticCapture writes today. */
    static Path synthetic() throws IOException {
        Path committed = Path.of("src/test/resources/sysdig/synthetic.scap");
        Path fresh = Files.createTempFile("synthetic", ".scap");
        try {
            SyntheticCapture.write(fresh);
            assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(committed),
                    "synthetic.scap is stale: run scripts/gen-sysdig-lines.sh");
        } finally {
            Files.delete(fresh);
        }
        return committed;
    }

    static List<String> ours(String fixture, SysdigLine.Buffers buffers) throws IOException {
        List<String> lines = new ArrayList<>();
        Path file = fixture.equals(SyntheticCapture.NAME) ? synthetic() : ScapFixtures.path(fixture);
        try (ScapReader r = ScapReader.open(file)) {
            SysdigLine p = new SysdigLine(r.section(), ZoneOffset.UTC, buffers);
            try {
                for (ScapEvent e; (e = r.next()) != null; ) {
                    String line = p.next(e);
                    if (line != null) {
                        lines.add(line);
                    }
                }
            } catch (IOException truncated) {
                // test_ipv6_client.scap ends mid-block; sysdig prints the events before it too
            }
        }
        return lines;
    }
}
