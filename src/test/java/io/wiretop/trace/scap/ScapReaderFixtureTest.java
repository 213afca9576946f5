// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The four sample captures read as their README and sysdig 0.29.3 say. The
 * {@code src/test/resources/scap/NAME.sysdig.txt} references were made with
 * {@code TZ=UTC sysdig -r NAME.scap -p "*%evt.num %evt.rawtime %evt.cpu %thread.tid %evt.dir %evt.type %evt.rawarg.res"}.
 */
class ScapReaderFixtureTest {

    /** Every event of a file, copied, and the reader's final section. */
    record Read(List<ScapEvent> events, ScapSection section, ScapReader reader) {
    }

    static Read readAll(String name) throws IOException {
        try (ScapReader r = ScapReader.open(ScapFixtures.path(name))) {
            List<ScapEvent> events = new ArrayList<>();
            for (ScapEvent e; (e = r.next()) != null; ) {
                events.add(e.copy());
            }
            return new Read(events, r.section(), r);
        }
    }

    static Map<String, Integer> countByType(List<ScapEvent> events) {
        Map<String, Integer> m = new TreeMap<>();
        for (ScapEvent e : events) {
            m.merge(e.type() + (e.enter() ? ">" : "<") + e.info().name(), 1, Integer::sum);
        }
        return m;
    }

    static Instant time(ScapEvent e) {
        return Instant.ofEpochSecond(0, e.timestamp());
    }

    @Test
    void curlGoogleHasItsBlocksAndEvents() throws IOException {
        Read r = readAll("curl_google");
        ScapSection s = r.section();
        assertEquals("1.0", s.version());
        assertEquals(new MachineInfo(1, s.machine().memoryBytes(), s.machine().maxPid(), "ip-10-0-0-79"), s.machine());
        assertEquals(54, s.threads().size());
        assertEquals(54, s.fds().size());
        assertEquals(1536, r.events().size());
        assertEquals(1, r.reader().sections());
        assertEquals(Instant.parse("2018-08-17T17:35:42.999999999Z"), time(r.events().get(0)));
        assertEquals(Instant.parse("2018-08-17T17:35:50.999999999Z"), time(r.events().get(1535)));
        Map<String, Integer> types = countByType(r.events());
        assertEquals(368, r.events().stream().filter(e -> e.type() <= 1).count(), "generic syscall events");
        assertEquals(315, types.get("234>procinfo"));
        assertEquals(1, types.get("231<execve"));
        assertEquals(1, types.get("222>clone"));
        assertEquals(2, types.get("223<clone"));
        assertEquals(10, types.get("18>socket") + types.get("19<socket"));
        assertEquals(8, types.get("22>connect") + types.get("23<connect"));
        assertEquals(2, types.get("186>procexit"));
        ScapThread sysdig = s.threads().stream().filter(t -> t.tid() == 17496).findFirst().orElseThrow();
        assertEquals("sysdig", sysdig.comm());
        assertEquals(List.of("-zw", "curl.scap", "proc.name=curl"), sysdig.args());
        assertEquals(17495, sysdig.ptid());
        assertTrue(sysdig.vmSizeKb() > 0 && !sysdig.cgroups().isEmpty(), "V5 fields read");
        assertFalse(s.interfaces().isEmpty());
        assertTrue(s.users().stream().anyMatch(u -> !u.group() && u.uid() == 0 && u.name().equals("root")));
    }

    @Test
    void singleIpv6ConnIsVersion12WithV2Blocks() throws IOException {
        Read r = readAll("single_ipv6_conn");
        ScapSection s = r.section();
        assertEquals("1.2", s.version());
        assertEquals("ubuntu", s.machine().hostname());
        assertEquals(2, s.machine().cpus());
        assertEquals(13, s.interfaces().size());
        assertEquals(154, s.threads().size());
        assertEquals(154, s.fds().size());
        assertTrue(s.threads().stream().allMatch(t -> t.loginUid() == -1), "V9 entries end at root");
        assertEquals(1728, r.events().size());
        assertEquals(Instant.parse("2018-08-10T23:30:44.999999999Z"), time(r.events().get(0)));
        assertEquals(Instant.parse("2018-08-10T23:31:01.999999999Z"), time(r.events().get(1727)));
        Map<String, Integer> types = countByType(r.events());
        assertEquals(1700, types.get("234>procinfo"));
        assertEquals(1, types.get("246>accept"));
        assertEquals(1, types.get("247<accept"));
        assertEquals(3, types.get("22>connect"));
        ScapThread emacs = s.threads().stream().filter(t -> t.tid() == 3030).findFirst().orElseThrow();
        assertEquals(List.of("-nw"), emacs.args());
        assertEquals(2927, emacs.ptid());
        assertTrue(s.fds().get(3030L).stream().anyMatch(f -> f.type() == 16 || f.type() == 1), "FDL_V2 entries");
    }

    @Test
    void testIpv6ClientHasItsBlocksAndEvents() throws IOException {
        Read r = readAll("test_ipv6_client");
        assertEquals(58, r.section().threads().size());
        assertEquals(1, r.section().machine().cpus());
        assertEquals(326, r.events().size());
        Map<String, Integer> types = countByType(r.events());
        assertEquals(258, types.get("234>procinfo"));
        assertEquals(4, types.get("30>sendto"));
        assertEquals(4, types.get("31<sendto"));
        assertEquals(Instant.parse("2018-08-18T00:17:27.999999999Z"), time(r.events().get(0)));
        assertEquals(Instant.parse("2018-08-18T00:17:32.999999999Z"), time(r.events().get(325)));
    }

    /** Every event sysdig prints has the number, time, cpu, thread, direction, name and res it prints. */
    @Test
    void eventsMatchSysdigLineForLine() throws IOException {
        for (String name : List.of("curl_google", "single_ipv6_conn", "test_ipv6_client")) {
            List<ScapEvent> events = readAll(name).events();
            List<String> expected = resourceLines("/scap/" + name + ".sysdig.txt");
            List<String> actual = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                ScapEvent e = events.get(i);
                if (e.info().category().equals("EC_INTERNAL") || (e.dumpFlags() & 1) != 0) {
                    continue; // sysdig counts but does not print these
                }
                int res = e.paramIndex("res");
                String resText = res >= 0 && e.has(res) ? Long.toString(e.asLong(res, 0)) : "<NA>";
                actual.add((i + 1) + " " + e.timestamp() + " " + e.cpu() + " " + e.tid() + " "
                        + (e.enter() ? ">" : "<") + " " + e.name() + " " + resText);
            }
            assertEquals(expected.size(), actual.size(), name);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).strip(), actual.get(i), name + " line " + (i + 1));
            }
        }
    }

    /**
     * Every parameter sysdig prints (name=value in {@code %evt.args}, references made with
     * {@code TZ=UTC sysdig -r NAME.scap -p "*%evt.num %evt.args"}) has the value this reader decodes:
     * integers in decimal, hex or octal as the table's print format says, text and sockets as printed.
     * Byte buffers are left out (sysdig renders them through its own escaping).
     */
    @Test
    void everyPrintedParameterMatchesSysdig() throws IOException {
        int compared = 0;
        for (String name : List.of("curl_google", "single_ipv6_conn", "test_ipv6_client")) {
            List<ScapEvent> events = readAll(name).events();
            for (String line : resourceLines("/scap/" + name + ".sysdig-args.txt")) {
                int sp = line.indexOf(' ');
                ScapEvent e = events.get(Integer.parseInt(line.substring(0, sp)) - 1);
                String args = " " + line.substring(sp + 1);
                int from = 0;
                int n = Math.min(e.paramCount(), e.info().paramCount());
                for (int i = 0; i < n; i++) {
                    String key = " " + e.info().paramNames().get(i) + "=";
                    int at = args.indexOf(key, from);
                    if (at < 0) {
                        continue; // not printed (sysdig leaves some out, e.g. an exit's absent tuple)
                    }
                    from = at + key.length();
                    String printed = args.substring(from);
                    String token = printed.split("[ (]", 2)[0];
                    String where = name + " event " + (events.indexOf(e) + 1) + " " + e.name() + " " + key.strip();
                    ParamType t = e.paramType(i);
                    if (t == ParamType.BYTEBUF || t == ParamType.FDLIST) {
                        continue;
                    } else if (!e.has(i)) {
                        assertEquals("NULL", token, where);
                    } else if (t.text()) {
                        assertTrue(printed.startsWith(printable(e.asString(i))), where + ": " + e.asString(i));
                    } else if (t == ParamType.SOCKTUPLE) {
                        assertTrue(printed.startsWith(e.asTuple(i).text()), where + ": " + e.asTuple(i).text());
                    } else if (t == ParamType.SOCKADDR) {
                        assertTrue(printed.startsWith(e.asAddress(i).text()), where + ": " + e.asAddress(i).text());
                    } else {
                        long v = e.asLong(i, Long.MIN_VALUE);
                        String dec = t.signed() ? Long.toString(v) : Long.toUnsignedString(v);
                        assertTrue(token.equals(dec) || token.equalsIgnoreCase(Long.toHexString(v))
                                || token.equals(Long.toOctalString(v)), where + ": sysdig " + token + ", read " + dec);
                    }
                    compared++;
                }
            }
        }
        assertTrue(compared >= 2300, compared + " parameters compared"); // 2361 when written
    }

    /** sysdig prints non-printable bytes of text as dots. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '.' : c);
        }
        return b.toString();
    }

    @Test
    void decodedParametersMatchSysdig() throws IOException {
        List<ScapEvent> curl = readAll("curl_google").events();
        // 211 ... < execve res=0 exe=curl args=-6.http://www.google.com. tid=17497(curl) pid=17497(curl) ptid=3200(bash) cwd=/home/ubuntu fdlimit=1024
        ScapEvent execve = curl.get(210);
        assertEquals("execve", execve.name());
        assertEquals(0, execve.asLong(0, -1));
        assertEquals("curl", execve.asString(1));
        assertEquals(List.of("-6", "http://www.google.com"), execve.asStrings(2));
        assertEquals(17497, execve.asLong(3, -1));
        assertEquals(17497, execve.asLong(4, -1));
        assertEquals(3200, execve.asLong(5, -1));
        assertEquals("/home/ubuntu", execve.asString(6));
        assertEquals(1024, execve.asLong(7, -1));
        // 219 ... < open fd=3(<f>/etc/ld.so.cache) name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0
        ScapEvent open = curl.get(218);
        assertEquals(3, open.type());
        assertEquals(3, open.asLong(open.paramIndex("fd"), -1));
        assertEquals("/etc/ld.so.cache", open.asString(open.paramIndex("name")));
        assertEquals(4097, open.asLong(open.paramIndex("flags"), -1));
        assertEquals(0, open.asLong(open.paramIndex("mode"), -1));
        // 218 ... > open (no arguments in this 2018 capture)
        assertEquals(0, curl.get(217).paramCount());
        // 1018 ... < clone res=17498(curl) ... flags=47619(...) uid=1000 gid=1000 vtid=17497(curl) vpid=17497(curl)
        ScapEvent clone = curl.get(1017);
        assertEquals("clone", clone.name());
        assertEquals(17498, clone.asLong(0, -1));
        assertEquals(47619, clone.asLong(clone.paramIndex("flags"), -1));
        assertEquals(1000, clone.asLong(clone.paramIndex("uid"), -1));
        // 1189 ... < connect res=0 tuple=2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53
        ScapEvent connect = curl.get(1188);
        assertEquals("2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53",
                connect.asTuple(1).text());
        // 1057 ... < connect res=-2(ENOENT) tuple=0->ffff88003c420800 /var/run/nscd/socket
        ScapEvent unix = curl.get(1056);
        assertEquals(-2, unix.asLong(0, 0));
        assertEquals("0->ffff88003c420800 /var/run/nscd/socket", unix.asTuple(1).text());
        // 1240 ... < recvfrom res=60 data=....www.google.com... tuple=2001:4860:4860::8888:53->2600:...:40251
        ScapEvent recv = curl.get(1239);
        assertEquals(60, recv.asLong(0, 0));
        assertTrue(new String(recv.asBytes(1), StandardCharsets.ISO_8859_1).contains("www"));
        assertEquals("2001:4860:4860::8888:53->2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251", recv.asTuple(2).text());
        // 1343 ... < recvfrom res=6040 data=HTTP/1.1 200 OK.. tuple=NULL
        assertNull(curl.get(1342).asTuple(2));
        assertTrue(new String(curl.get(1342).asBytes(1), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK"));

        List<ScapEvent> v6 = readAll("single_ipv6_conn").events();
        // 848 ... > socket domain=10(AF_INET6) type=1 proto=6
        ScapEvent socket = v6.get(847);
        assertEquals(List.of(10L, 1L, 6L), List.of(socket.asLong(0, -1), socket.asLong(1, -1), socket.asLong(2, -1)));
        // 851 ... < bind res=0 addr=2001:db8::3:1234
        assertEquals("2001:db8::3:1234", v6.get(850).asAddress(1).text());

        List<ScapEvent> client = readAll("test_ipv6_client").events();
        // 224 ... > sendto fd=3(<6>) size=6 tuple=:::0->::1:2345
        assertEquals(":::0->::1:2345", client.get(223).asTuple(2).text());
        // 225 ... < sendto res=6 data=Testme
        assertArrayEquals("Testme".getBytes(StandardCharsets.US_ASCII), client.get(224).asBytes(1));
        // 228 ... > sendto fd=3 size=6 tuple=NULL
        assertFalse(client.get(227).has(2));
    }

    /** libs since c10380abe skips the header's options and the bytes after each event's length: the same events. */
    @Test
    void commentsFixtureReadsAsCurlGoogleWithItsComment() throws IOException {
        Read plain = readAll("curl_google");
        Read commented = readAll("curl_google_comments");
        assertEquals(List.of("File-level comment"), commented.section().comments());
        assertTrue(commented.section().application().startsWith("Editcap (Wireshark) 4.5.0"),
                commented.section().application());
        assertEquals(plain.section().threads(), commented.section().threads());
        assertEquals(plain.events().size(), commented.events().size());
        for (int i = 0; i < plain.events().size(); i++) {
            ScapEvent a = plain.events().get(i);
            ScapEvent b = commented.events().get(i);
            assertEquals(a.timestamp(), b.timestamp(), "event " + (i + 1));
            assertEquals(a.type(), b.type());
            assertEquals(a.paramCount(), b.paramCount());
            for (int p = 0; p < a.paramCount(); p++) {
                assertArrayEquals(a.asBytes(p), b.asBytes(p), "event " + (i + 1) + " param " + p);
            }
        }
    }

    @Test
    void plainAndGzipReadAlike() throws IOException {
        byte[] plain = ScapFixtures.plain("test_ipv6_client");
        try (ScapReader gz = new ScapReader(new ByteArrayInputStream(ScapFixtures.gzipped("test_ipv6_client")));
             ScapReader raw = new ScapReader(new ByteArrayInputStream(plain))) {
            assertTrue(gz.gzip());
            assertFalse(raw.gzip());
            int n = 0;
            for (ScapEvent a; (a = gz.next()) != null; n++) {
                ScapEvent b = raw.next();
                assertNotNull(b);
                assertEquals(a.offset(), b.offset(), "offsets count the plain .scap bytes in both");
                assertEquals(a.timestamp(), b.timestamp());
            }
            assertNull(raw.next());
            assertEquals(326, n);
        }
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream s = ScapReaderFixtureTest.class.getResourceAsStream(name)) {
            assertNotNull(s, name);
            return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8)).lines().toList();
        }
    }
}
