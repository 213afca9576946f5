// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.PacketPrinter;
import io.wiretop.decode.ProcessContext;
import io.wiretop.text.SafeText;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process context and packet text written by a hostile process (exec -a with newlines and terminal
 * controls, DNS names and HTTP lines with ESC): the capture's text lines, -v blocks, pcapng comments
 * (as tshark shows them) and a file read back carry them escaped, never raw, and never as extra lines.
 */
class HostileContextTest {
    static final String ARGV0 = "x\nPID: 1\nCmd: /usr/sbin/sshd\u001b[2J\u001b]0;pwn\u0007";
    static final String SHOWN = "x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07";
    static final ProcessContext EVIL = new ProcessContext(4242, "/tmp/ev\u001b[2Jil", ARGV0 + " back\\slash",
            4243, "th\nread", 1000, 77, "/bin/sh\r", "sh -c '\u009b2J'", "name\u202e", "c0ffee\u0007",
            "img\n", "{\"k\":\"v\u001b\"}");

    @TempDir
    Path tmp;

    @Test
    void commentsCannotGainLinesAndReadBackExactly() {
        List<String> c = EVIL.comments();
        assertEquals(5, c.size());
        assertEquals(List.of("PID: 4242", "Cmd: /tmp/ev\\x1b[2Jil", "Args: " + SHOWN + " back\\\\slash"),
                List.of(c.get(0).split("\n")));
        assertEquals(2, c.get(1).split("\n").length);
        assertEquals(3, c.get(3).split("\n").length);
        assertEquals(4, c.get(4).split("\n").length);
        for (String comment : c) {
            for (String line : comment.split("\n")) {
                assertSafe(line);
            }
        }
        assertEquals(EVIL, ProcessContext.fromComments(c));
    }

    @Test
    void textLinesEscapeEveryPiece() {
        List<CapturedPacket> ps = List.of(packet(http("GET /\u001b[2J\u001b]0;pwn\u0007 HTTP/1.1")),
                packet(dns("a\u001b[2Jb\u009b")), packet(http("HTTP/1.1 200 \u202eKO")));
        for (boolean verbose : new boolean[]{false, true}) {
            PacketPrinter pr = new PacketPrinter(new PacketPrinter.Options(verbose, false, false, false, ZoneOffset.UTC));
            for (CapturedPacket p : ps) {
                String text = pr.format(p);
                String[] lines = text.split("\n");
                // default: one line; -v: IP header, decode, then one line per context block (5)
                assertEquals(verbose ? 7 : 1, lines.length, text);
                for (String line : lines) {
                    assertSafe(line);
                }
                assertTrue(text.contains(verbose ? "args " + SHOWN : " l\\x1bo ev\\x1b[2Jil.4242 "), text);
            }
        }
        PacketPrinter pr = new PacketPrinter(PacketPrinter.Options.defaults());
        assertTrue(pr.format(ps.get(0)).contains("HTTP: GET /\\x1b[2J\\x1b]0;pwn\\x07 HTTP/1.1"), pr.format(ps.get(0)));
        // the DNS decoder already shows a label's non-printable bytes as '?'
        assertTrue(pr.format(ps.get(1)).contains("A? a?[2Jb?."), pr.format(ps.get(1)));
        assertTrue(pr.format(ps.get(0)).contains("Thread [th\\nread.4243], ParentProc [sh\\r.77], Container [name\\u202e]"),
                pr.format(ps.get(0)));
    }

    @Test
    void payloadDumpsShowOnlyPrintableBytes() {
        CapturedPacket p = packet(http("GET /\u001b[2J\u009b HTTP/1.1"));
        for (PacketPrinter.Options o : List.of(new PacketPrinter.Options(false, true, false, false, ZoneOffset.UTC),
                new PacketPrinter.Options(false, false, true, false, ZoneOffset.UTC))) {
            String text = new PacketPrinter(o).format(p);
            for (char ch : text.toCharArray()) {
                assertTrue(ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7f), "byte " + (int) ch + " in " + text);
            }
        }
    }

    @Test
    void tsharkSeesOnePidBlockPerPacket() throws Exception {
        Path f = tmp.resolve("evil.pcapng");
        try (PcapNgWriter w = new PcapNgWriter(Files.newOutputStream(f), "wiretop test")) {
            int lo = w.addInterface("lo", LinkType.RAW, 262144, null, null);
            for (int i = 0; i < 3; i++) {
                byte[] d = http("GET / HTTP/1.1");
                w.write(lo, 1_000_000_000L * i, d, 0, d.length, d.length, Direction.OUT, EVIL.comments());
            }
        }
        // -V prints each comment's lines (then twice more as expert info): exactly one PID line per
        // packet, and every Cmd/Args line is the escaped value, none forged by the argv
        List<String> v = lines(run("tshark", "-r", f.toString(), "-V", "-Y", "frame.comment"));
        assertEquals(3, v.stream().filter(l -> l.strip().equals("PID: 4242")).count(), String.join("\n", v));
        for (String line : v) {
            assertFalse(line.startsWith("PID: 1"), line);
            assertSafe(line);
            String value = line.endsWith("]") ? line.substring(0, line.length() - 1) : line; // expert info's bracket
            if (line.startsWith("Cmd:")) {
                assertEquals("Cmd: /tmp/ev\\x1b[2Jil", value);
            } else if (line.startsWith("Args:")) {
                assertEquals("Args: " + SHOWN + " back\\\\slash", value);
            }
        }
        assertEquals(9, v.stream().filter(l -> l.startsWith("Args: ")).count());

        try (PcapReader r = new PcapReader(Files.newInputStream(f))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                assertEquals(EVIL, p.context(), "read back: the real text in the model");
                String line = new PacketPrinter(PacketPrinter.Options.defaults()).format(p);
                assertSafe(line);
                assertEquals(1, line.split("\n").length);
            }
        }
    }

    static void assertSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int at = i;
            assertFalse(SafeText.isUnsafe(c), () -> "raw U+" + Integer.toHexString(c) + " at " + at + " in " + s);
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed");
        return s;
    }

    static CapturedPacket packet(byte[] ip) {
        return new CapturedPacket(1_700_000_000_123_456_000L, "l\u001bo", LinkType.RAW, ip, ip.length, Direction.OUT, EVIL,
                EVIL.comments());
    }

    /** IPv4 + TCP (PSH|ACK) from 127.0.0.1.40000 to 127.0.0.1.80 with this first line and CRLF. */
    static byte[] http(String firstLine) {
        byte[] pay = (firstLine + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer t = ByteBuffer.allocate(20 + pay.length);
        t.putShort((short) 40000).putShort((short) 80).putInt(1).putInt(1).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 512).putShort((short) 0).putShort((short) 0).put(pay);
        return ip4(6, t.array());
    }

    /** IPv4 + UDP to port 53 with a DNS A query for the one-label name {@code label}. */
    static byte[] dns(String label) {
        byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[]{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        q.write(l.length);
        q.writeBytes(l);
        q.writeBytes(new byte[]{0, 0, 1, 0, 1});
        byte[] msg = q.toByteArray();
        ByteBuffer u = ByteBuffer.allocate(8 + msg.length);
        u.putShort((short) 40001).putShort((short) 53).putShort((short) (8 + msg.length)).putShort((short) 0).put(msg);
        return ip4(17, u.array());
    }

    private static byte[] ip4(int proto, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(new byte[]{127, 0, 0, 1})
                .put(new byte[]{127, 0, 0, 1}).put(l4);
        return b.array();
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n")));
    }
}
