// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Echo on curl's process in curl_google.scap shows what sysdig shows of its I/O: the same 56
 * read/write-class exits with res > 0, in order, with the same byte counts, fd names and captured
 * bytes. The reference ({@code window/curl_google_17497.echo.txt}) was written by
 * {@code scripts/gen-echo-reference.py curl_google.scap 17497} with sysdig 0.29.3, i.e. from
 * {@code sysdig -r curl_google.scap -X "proc.pid=17497 and evt.is_io=true and evt.rawres>0"}.
 */
class EchoReferenceTest {
    record Ref(long num, String type, long res, String fdName, byte[] data) {
    }

    static List<Ref> reference() throws IOException {
        List<Ref> out = new ArrayList<>();
        try (InputStream in = EchoReferenceTest.class.getResourceAsStream("/window/curl_google_17497.echo.txt")) {
            assertNotNull(in, "reference missing");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i + 1 < lines.length; i += 2) {
                String[] f = lines[i].split(" ", 4);
                out.add(new Ref(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), f[3],
                        HexFormat.of().parseHex(lines[i + 1])));
            }
        }
        return out;
    }

    static List<WindowEvent> read(WindowSelection sel) throws Exception {
        ScapWindowSource s = ScapWindowSource.start(ScapFixtures.path("curl_google"), sel, java.time.ZoneOffset.UTC);
        s.await(30_000);
        List<WindowEvent> all = new ArrayList<>();
        s.drain().forEach(all::addAll);
        assertTrue(s.finished(), "the file is read to its end and every batch taken");
        assertNull(s.failure());
        s.close();
        return all;
    }

    @Test
    void echoOnCurlShowsExactlyWhatSysdigShows() throws Exception {
        List<WindowEvent> shown = read(WindowSelection.processes(Set.of(17497L), "proc.pid=17497"))
                .stream().filter(EchoText::shows).toList();
        List<Ref> ref = reference();
        assertEquals(56, ref.size(), "the reference file");
        assertEquals(ref.size(), shown.size(), "as many I/O exits as sysdig shows");
        for (int i = 0; i < ref.size(); i++) {
            Ref r = ref.get(i);
            WindowEvent w = shown.get(i);
            String at = "event " + r.num();
            assertEquals(r.num(), w.num(), at);
            assertEquals(r.type(), w.event().name(), at);
            assertEquals(r.res(), w.event().asLong(0, -1), at);
            assertEquals(r.fdName(), w.fdName(), at);
            assertEquals(HexFormat.of().formatHex(r.data()),
                    HexFormat.of().formatHex(w.event().asBytes(w.event().paramIndex("data"))), at);
            assertEquals("curl", w.comm(), at);
        }
    }

    @Test
    void theSeparatorsSayTheCountTheFdAndTheCommand() throws Exception {
        List<WindowEvent> shown = read(WindowSelection.processes(Set.of(17497L), "proc.pid=17497"))
                .stream().filter(EchoText::shows).toList();
        List<EchoText.Line> first = EchoText.lines(shown.get(0), EchoText.Mode.PRINTABLE, 80);
        assertEquals("------ Read 832B from /usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4 (curl)", first.get(0).text());
        assertEquals(EchoText.Kind.READ, first.get(0).kind());
        WindowEvent get = shown.stream().filter(w -> w.num() == 1312).findFirst().orElseThrow();
        List<EchoText.Line> l = EchoText.lines(get, EchoText.Mode.PRINTABLE, 80);
        assertEquals("------ Write 78B to 2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80"
                + " (curl)", l.get(0).text());
        assertEquals(EchoText.Kind.WRITE, l.get(0).kind());
        assertEquals(List.of("", "GET / HTTP/1.1", "Host: www.google.com", "User-Agent: curl/7.47.0", "Accept: */*", "", ""),
                l.subList(1, l.size()).stream().map(EchoText.Line::text).toList());
        // sysdig -X's first line of event 231, character for character
        List<EchoText.Line> hex = EchoText.lines(shown.get(0), EchoText.Mode.HEX, 120);
        assertEquals("0x0000: 7f45 4c46 0201 0100 0000 0000 0000 0000  .ELF............", hex.get(2).text());
        List<EchoText.Line> dotted = EchoText.lines(shown.get(0), EchoText.Mode.DOTTED, 200);
        assertEquals(".ELF..............>.............@...................@.8...@.....................",
                dotted.get(2).text(), "sysdig's data= of event 231");
    }

    @Test
    void aConnectionSelectionShowsThatSocketOnlyEitherWayRound() throws Exception {
        String tuple = "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80";
        for (String name : List.of(tuple, "2607:f8b0:4004:802::2004:80->2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140")) {
            List<WindowEvent> all = read(new WindowSelection(Set.of(17497L), -1, name, "conn"));
            List<Long> io = all.stream().filter(EchoText::shows).map(WindowEvent::num).toList();
            assertEquals(List.of(1312L, 1343L, 1374L, 1412L), io, name);
            assertTrue(all.stream().allMatch(w -> w.fdName().equals(tuple)), "only that socket's events");
            assertTrue(all.stream().anyMatch(w -> w.event().name().equals("close")), "its close, named as it was");
        }
    }

    @Test
    void anotherProcessSeesNoneOfCurlsEvents() throws Exception {
        List<WindowEvent> all = read(WindowSelection.processes(Set.of(17497L), "x"));
        assertTrue(all.size() > 500, "curl's events: " + all.size());
        assertTrue(all.stream().allMatch(w -> w.pid() == 17497), "every thread of curl counts as curl");
        assertTrue(all.stream().anyMatch(w -> w.event().tid() == 17498), "including its resolver thread");
        assertTrue(read(WindowSelection.processes(Set.of(1L), "x")).stream().noneMatch(w -> w.pid() == 17497));
    }
}
