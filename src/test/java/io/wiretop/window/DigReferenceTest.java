// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dig on curl's process in curl_google.scap lists the events sysdig lists for {@code proc.pid=17497}
 * (both of curl's threads), first 200 compared: number, time, CPU, thread, direction and type, from
 * {@code scap/curl_google.sysdig.txt} (sysdig 0.29.3's {@code %evt.num %evt.rawtime %evt.cpu
 * %thread.tid %evt.dir %evt.type %evt.res} of the whole file). The argument text is the stand-in
 * formatter's and is not compared here.
 */
class DigReferenceTest {
    @Test
    void theFirst200EventsOfCurlAreSysdigs() throws Exception {
        List<String> ref = new ArrayList<>();
        try (InputStream in = DigReferenceTest.class.getResourceAsStream("/scap/curl_google.sysdig.txt")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length >= 6 && (f[3].equals("17497") || f[3].equals("17498"))) {
                    ref.add(String.join(" ", f[0], f[1], f[2], f[3], f[4], f[5]));
                }
            }
        }
        assertTrue(ref.size() >= 200, "reference events of curl: " + ref.size());
        List<WindowEvent> dig = EchoReferenceTest.read(WindowSelection.processes(Set.of(17497L), "proc.pid=17497"));
        assertEquals(ref.size(), dig.size(), "as many events as sysdig lists for curl");
        DigFormat fmt = new DigFormat(ZoneOffset.UTC);
        for (int i = 0; i < 200; i++) {
            WindowEvent w = dig.get(i);
            String mine = String.join(" ", Long.toString(w.num()), Long.toString(w.event().timestamp()),
                    Integer.toString(w.event().cpu()), Long.toString(w.event().tid()), w.event().enter() ? ">" : "<",
                    w.event().name());
            assertEquals(ref.get(i), mine, "event " + i);
            String line = fmt.line(w.event(), w);
            String[] f = ref.get(i).split(" ");
            assertTrue(line.startsWith(f[0] + " ") && line.contains(" curl (" + f[3] + ") " + f[4] + " " + f[5]), line);
        }
    }
}
