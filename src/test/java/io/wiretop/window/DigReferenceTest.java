// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dig on curl's process in curl_google.scap lists the events sysdig lists for {@code proc.pid=17497}
 * (both of curl's threads), each line equal to sysdig 0.29.3's full default line for it, first 200
 * compared ({@code sysdig/curl_google.txt}: {@code TZ=UTC sysdig -r} of the whole file); the count
 * of events is compared against the whole file's.
 */
class DigReferenceTest {
    @Test
    void theFirst200EventsOfCurlAreSysdigsLines() throws Exception {
        List<String> ref = new ArrayList<>();
        try (InputStream in = DigReferenceTest.class.getResourceAsStream("/sysdig/curl_google.txt")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ", 6);
                if (f.length >= 6 && (f[4].equals("(17497)") || f[4].equals("(17498)"))) {
                    ref.add(line);
                }
            }
        }
        assertTrue(ref.size() >= 200, "reference events of curl: " + ref.size());
        List<WindowEvent> dig = EchoReferenceTest.read(WindowSelection.processes(Set.of(17497L), "proc.pid=17497"));
        assertEquals(ref.size(), dig.size(), "as many events as sysdig lists for curl");
        for (int i = 0; i < 200; i++) {
            assertEquals(ref.get(i), dig.get(i).line(), "event " + i);
        }
    }
}
