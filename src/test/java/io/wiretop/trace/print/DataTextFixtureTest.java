// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Echo's three renderings as pure functions, each equal to what sysdig prints for the data of every
 * read and write of the captures ({@code sysdig -r FILE -X}, {@code -A} and the default), plus
 * the edge cases spelled out.
 */
class DataTextFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"curl_google", "single_ipv6_conn", "test_ipv6_client", "synthetic"})
    void everyReadAndWriteBufferAsSysdigPrintsIt(String fixture) throws IOException {
        int hex = compare(fixture, SysdigLine.Buffers.HEX, DataText::hex);
        int ascii = compare(fixture, SysdigLine.Buffers.ASCII, DataText::ascii);
        int dotted = compare(fixture, SysdigLine.Buffers.DOTTED, ParamText::buffer);
        assertTrue(hex >= 3 && hex == ascii && ascii == dotted, fixture + ": " + hex + " buffers compared");
    }

    /** Compares the data of each event whose last parameter is its "data" buffer; returns how many. */
    private static int compare(String fixture, SysdigLine.Buffers mode, Function<byte[], String> render)
            throws IOException {
        List<String> expected = SysdigLineFixtureTest.expected(fixture, mode);
        Path file = fixture.equals(SyntheticCapture.NAME) ? SysdigLineFixtureTest.synthetic()
                : ScapFixtures.path(fixture);
        int line = 0, compared = 0;
        try (ScapReader r = ScapReader.open(file)) {
            SysdigLine p = new SysdigLine(r.section(), ZoneOffset.UTC, mode);
            for (ScapEvent e; (e = r.next()) != null && line < expected.size(); ) {
                if (p.next(e) == null) {
                    continue;
                }
                String want = expected.get(line++);
                List<String> names = e.info().paramNames();
                int n = Math.min(e.paramCount(), names.size());
                if (n > 0 && names.get(n - 1).equals("data") && e.paramType(n - 1) == ParamType.BYTEBUF && !e.enter()) {
                    String tail = want.substring(want.indexOf(" data=") + 6, want.length() - 1);
                    assertEquals(tail, render.apply(e.asBytes(n - 1)), fixture + " " + want.substring(0, 40));
                    compared++;
                }
            }
        } catch (IOException truncated) {
            // test_ipv6_client.scap ends mid-block, as sysdig's output does
        }
        return compared;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void hexRowsPadTheLastRowAndShowALoneByteAsTwoDigits() {
        assertEquals("", DataText.hex(new byte[0]));
        assertEquals("\n\t0x0000: 61" + " ".repeat(5 * 7) + "  a\n", DataText.hex(b("a")));
        assertEquals("\n\t0x0000: 3031 3233 3435 3637 3839 4142 4344 4546  0123456789ABCDEF"
                + "\n\t0x0010: 00ff 7f" + " ".repeat(5 * 6) + "  ...\n", DataText.hex(b("0123456789ABCDEF\u0000\u00ff\u007f")));
    }

    @Test
    void asciiKeepsPrintablesAndLineBreaksOnly() {
        assertEquals("", DataText.ascii(new byte[0]));
        // CR is a break, LF after CR is not another, a lone LF is, a leading LF is dropped, controls vanish
        assertEquals("\na\nb\nc", DataText.ascii(b("\na\r\nb\nc\u0001\u00e9")));
        assertEquals("\nx\n\n", DataText.ascii(b("x\r\r")));
    }

    @Test
    void dottedIsOneCharacterPerByteAndDefaultLinesCutAt80() {
        assertEquals("a.b.~.", DataText.dotted(b("a\tb\u0000~\u007f")));
        String s81 = "x".repeat(81);
        assertEquals("x".repeat(77) + "...", ParamText.buffer(b(s81)));
        assertEquals("x".repeat(80), ParamText.buffer(b("x".repeat(80))));
    }
}
