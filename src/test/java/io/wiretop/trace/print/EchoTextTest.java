// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Echo's separators and event choice, and the fd accessors a Dig or Echo window filters with. */
class EchoTextTest {

    /** Echo's text of curl_google.scap: separator and dotted data of each event Echo shows. */
    private static List<String> echo(String fixture) throws IOException {
        List<String> out = new ArrayList<>();
        try (ScapReader r = ScapReader.open(ScapFixtures.path(fixture))) {
            SysdigLine p = new SysdigLine(r.section());
            for (ScapEvent e; (e = r.next()) != null; ) {
                p.next(e);
                if (EchoText.shown(e)) {
                    out.add(p.number() + " " + EchoText.separator(e, p.eventFdName(), p.comm(e.tid())));
                    out.add(DataText.dotted(EchoText.data(e)));
                }
            }
        }
        return out;
    }

    @Test
    void curlReadingItsLibrariesAsCsysdigShowsIt() throws IOException {
        List<String> text = echo("curl_google");
        // csysdig-behaviour.md §8, event 231 of curl_google.scap
        assertEquals("231 ------ Read 832B from /usr/lib/x86_64-linux-gnu/libcurl-gnutls.so.4 (curl)", text.get(0));
        assertEquals(".ELF..............>.............@...................@.8...@.....................", text.get(1));
        assertTrue(text.contains("1195 ------ Write 32B to "
                + "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53 (curl)"), text.toString());
    }

    @Test
    void onlyExitsThatMovedBytes() throws IOException {
        List<String> text = echo("single_ipv6_conn");
        // the write and the read of "this is a test\n"; the final read returning 0 is not shown
        assertEquals(List.of(
                "1346 ------ Write 15B to 2001:db8::4:54405->2001:db8::3:1234 (<NA>)", "this is a test.",
                "1348 ------ Read 15B from 2001:db8::4:54405->2001:db8::3:1234 (<NA>)", "this is a test."), text);
    }

    @Test
    void skippingEventsKeepsNumbersAndNamesOfTheOthers() throws IOException {
        List<String> all = SysdigLineFixtureTest.ours("curl_google", SysdigLine.Buffers.DOTTED);
        List<String> socketOnly = new ArrayList<>();
        try (ScapReader r = ScapReader.open(ScapFixtures.path("curl_google"))) {
            SysdigLine p = new SysdigLine(r.section(), java.time.ZoneOffset.UTC, SysdigLine.Buffers.DOTTED);
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (e.info().category().equals("EC_NET")) {
                    socketOnly.add(p.next(e));
                } else {
                    p.skip(e);
                }
            }
        }
        List<String> expected = all.stream().filter(l -> socketOnly.contains(l)).toList();
        assertTrue(socketOnly.size() > 20 && !socketOnly.contains(null), socketOnly.toString());
        assertEquals(expected, socketOnly); // each a line of the full output: same number, same names
    }

    @Test
    void eventFdOfAnExitIsItsEntersAndSurvivesTheClose() throws IOException {
        try (ScapReader r = ScapReader.open(ScapFixtures.path("curl_google"))) {
            SysdigLine p = new SysdigLine(r.section());
            for (ScapEvent e; (e = r.next()) != null; ) {
                String line = p.next(e);
                if (p.number() == 225) { // < close res=0 of fd 3 (/etc/ld.so.cache)
                    assertNotNull(line);
                    assertEquals(3, p.eventFd());
                    assertEquals("/etc/ld.so.cache", p.eventFdName());
                    assertEquals(null, p.fdName(e.tid(), 3), "closed");
                    return;
                }
            }
        }
        throw new AssertionError("event 225 not reached");
    }
}
