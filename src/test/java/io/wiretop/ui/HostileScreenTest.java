// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyType;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.text.SafeText;
import io.wiretop.view.ActionDef;
import io.wiretop.view.ViewDef;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile process names and arguments on the TUI (lanterna's virtual terminal): the screen shows
 * them escaped, with every column where it belongs; the decoded-packet page too; F8 gets the
 * real value, quoted for the shell.
 */
class HostileScreenTest {
    static final String ARGV0 = "x\nPID: 1\nCmd: /usr/sbin/sshd\u001b[2J\u001b]0;pwn\u0007";
    static final String SHOWN = "x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07";
    private UiHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static Snapshot snapshot() {
        List<Row> procs = new ArrayList<>();
        procs.add(new ProcessRow(666, 1, 1666, "evil", ARGV0, "m\u001b[7ml\u009b", 0, 1, 100L << 20, 1L << 20, 0,
                5000, 5000, 0, 0, 10, null, false));
        procs.add(Fixtures.proc(412, "root", 2000, "/usr/sbin/sshd -D"));
        return new Snapshot(1, 2_000_000_000L, 2.0, Map.of(Snapshot.PROCESSES, procs), Losses.NONE, "Live System");
    }

    @Test
    void tableShowsEscapedTextInItsColumns() throws Exception {
        h = new UiHarness(120, 12).publish(snapshot());
        String screen = h.text();
        assertScreenSafe(screen);
        String evil = h.line(3), sshd = h.line(4);
        assertTrue(evil.endsWith(SHOWN), screen);
        // USER (width 12) is cut on its escaped form, so NET and Command start where sshd's do
        assertTrue(evil.contains(" m\\x1b[7ml\\u "), screen);
        assertEquals(sshd.indexOf("/usr/sbin/sshd -D"), evil.indexOf(SHOWN), screen);
        assertEquals(sshd.length() - "/usr/sbin/sshd -D".length(), evil.length() - SHOWN.length(), screen);
    }

    /** CJK takes two columns a character: kept readable, and the columns after it still line up. */
    @Test
    void wideCharactersStayReadableAndAligned() throws Exception {
        List<Row> procs = List.of(new ProcessRow(700, 1, 1700, "cjk", "日本語のコマンド café", "日本語ユーザ名", 0, 1,
                100L << 20, 1L << 20, 0, 5000, 5000, 0, 0, 10, null, false), Fixtures.proc(412, "root", 2000, "/usr/sbin/sshd -D"));
        h = new UiHarness(100, 8).publish(new Snapshot(1, 2_000_000_000L, 2.0, Map.of(Snapshot.PROCESSES, procs),
                Losses.NONE, "Live System"));
        String screen = h.text();
        String cjk = shown(3);
        assertTrue(cjk.endsWith("日本語のコマンド café"), screen);
        // USER is 12 columns: 11 for the name, so five wide characters and a pad
        assertTrue(cjk.contains(" 日本語ユー  "), screen);
        // the terminal's columns: where TH and Command start is the same on both rows
        assertEquals(columnOf(4, '/', 0), columnOf(3, '日', 1), screen);
        assertEquals(h.line(4).indexOf("13M") + 2, columnOf(3, 'K', 0), "RES ends in the same column:\n" + screen);
        // drawn again after a change (DELTA refresh), the wide characters survive
        h.key(KeyType.ArrowDown);
        assertTrue(shown(3).endsWith("日本語のコマンド café"), h.text());
    }

    /** Row y of the virtual terminal as read on screen: the second cell of a wide character is its padding. */
    private String shown(int y) {
        StringBuilder b = new StringBuilder();
        for (int x = 0; x < h.vt.getTerminalSize().getColumns(); x++) {
            String c = h.vt.getCharacter(x, y).getCharacterString();
            b.append(c);
            if (io.wiretop.text.TextWidth.isWide(c.charAt(0))) {
                x++;
            }
        }
        return b.toString().stripTrailing();
    }

    /** The screen column of the n-th wide-aware occurrence (from 0) of c on row y of the virtual terminal. */
    private int columnOf(int y, char c, int nth) {
        for (int x = 0, seen = 0; x < h.vt.getTerminalSize().getColumns(); x++) {
            char at = h.vt.getCharacter(x, y).getCharacterString().charAt(0);
            if (at == c && seen++ == nth) {
                return x;
            }
            if (io.wiretop.text.TextWidth.isWide(at)) {
                x++;
            }
        }
        return -1;
    }

    @Test
    void actionsGetTheRealValueQuoted() throws Exception {
        ActionDef echo = new ActionDef("g", "echo %proc.exeline", "echo", false, false);
        h = new UiHarness(120, 12).publish(snapshot());
        h.c.runAction(echo);
        assertEquals(List.of("echo '" + ARGV0 + "'"), h.ran);

        // a value that a command would read as an option is not run; the screen says why
        h.publish(new Snapshot(2, 4_000_000_000L, 2.0, Map.of(Snapshot.PROCESSES,
                List.of(Fixtures.proc(500, "root", 100, "+!touch /tmp/x"))), Losses.NONE, "Live System"));
        h.c.runAction(echo);
        h.loop.draw(true);
        assertEquals(1, h.ran.size(), "not run");
        assertTrue(h.text().contains("not run: the value of %proc.exeline starts with '+'"), h.text());
    }

    @Test
    void packetPageEscapesProcessAndWireText() throws Exception {
        ProcessContext ctx = new ProcessContext(666, "/tmp/ev\u001b[2Jil", ARGV0, 666, "t\u009b", 0, 1, "/sbin/init",
                "", null, null, null, null);
        byte[] ip = http("GET /\u001b]0;pwn\u0007 HTTP/1.1");
        CapturedPacket p = new CapturedPacket(1_700_000_000_000_000_000L, "lo\u001b", LinkType.RAW, ip, ip.length,
                Direction.OUT, ctx, ctx.comments());
        PacketRow row = new PacketRow(1, "12:00:00.000000", "Out", "lo\u001b", "tcp", "127.0.0.1.40000",
                "127.0.0.1.80", ip.length, "[P.]", "GET /\u001b]0;pwn\u0007 HTTP/1.1", 666, 666, "evil", 0, p);
        Page page = PacketDetail.page(row);
        assertScreenSafe(page.title);
        assertTrue(page.title.contains("lo\\x1b"), page.title);
        String all = String.join("\n", page.lines);
        assertScreenSafe(all);
        assertTrue(all.contains("command /tmp/ev\\x1b[2Jil"), all);
        assertTrue(all.contains("  GET /\\x1b]0;pwn\\x07 HTTP/1.1"), all);
        assertTrue(all.contains("Args " + SHOWN.substring(0, 20)), all);
        for (String line : page.lines) {
            assertTrue(line.length() <= PacketDetail.WIDTH, line);
        }

        List<ViewDef> views = new ArrayList<>(Fixtures.views());
        views.add(PacketFixtures.packetsView());
        h = new UiHarness(100, 40, Views.of(views), PacketFixtures.packetsView());
        h.publish(PacketFixtures.snapshot(1, List.of(row)));
        assertScreenSafe(h.text());
        h.key(KeyType.Enter);
        assertNotNull(h.c.page);
        assertScreenSafe(h.text());
        assertTrue(h.text().contains("GET /\\x1b]0;pwn\\x07 HTTP/1.1"), h.text());
    }

    @Test
    void otherTextOnTheScreenIsMadeSafeToo() throws Exception {
        h = new UiHarness(100, 12).publish(snapshot());
        h.c.message("cannot run 'x\u001b[2J\u0007'", true);
        h.loop.draw(true);
        assertScreenSafe(h.text());
        assertTrue(h.text().contains("cannot run 'x\\x1b[2J\\x07'"), h.text());
    }

    @Test
    void theConfirmationLineShowsTheCommandEscaped() throws Exception {
        java.io.PrintStream out = System.out;
        java.io.InputStream in = System.in;
        java.io.ByteArrayOutputStream tty = new java.io.ByteArrayOutputStream();
        Path marker = Files.createTempFile("wiretop-action", ".ran");
        Files.delete(marker);
        try {
            System.setOut(new java.io.PrintStream(tty, true, StandardCharsets.UTF_8));
            System.setIn(new java.io.ByteArrayInputStream("n\n".getBytes(StandardCharsets.UTF_8)));
            TerminalSession session = TerminalSession.virtual(
                    new com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal(), UiLog.none());
            ActionDef a = new ActionDef("t", "touch %fd.name", "touch", true, false);
            String cmd = ActionDef.expand(a.command(), f -> marker + "\u001b[2J\u001b]0;pwn\u0007");
            String result = new TtyActionRunner(session, UiLog.none()).run(a, cmd);
            String shown = tty.toString(StandardCharsets.UTF_8);
            assertScreenSafe(shown);
            assertTrue(shown.contains("Confirm command 'touch '" + marker + "\\x1b[2J\\x1b]0;pwn\\x07''? [y/N]"), shown);
            assertTrue(result.startsWith("cancelled"), result);
            assertFalse(Files.exists(Path.of(marker + "\u001b[2J\u001b]0;pwn\u0007")), "not run after 'n'");
        } finally {
            System.setOut(out);
            System.setIn(in);
        }
    }

    static void assertScreenSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int at = i;
            assertFalse(c != '\n' && SafeText.isUnsafe(c), () -> "raw U+" + Integer.toHexString(c) + " at " + at + ": " + text);
        }
    }

    /** IPv4 + TCP (PSH|ACK) 127.0.0.1.40000 > 127.0.0.1.80 with this first line. */
    static byte[] http(String firstLine) {
        byte[] pay = (firstLine + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(40 + pay.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + pay.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[]{127, 0, 0, 1}).put(new byte[]{127, 0, 0, 1});
        b.putShort((short) 40000).putShort((short) 80).putInt(1).putInt(1).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 512).putShort((short) 0).putShort((short) 0).put(pay);
        return b.array();
    }
}
