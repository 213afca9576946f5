// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What TERM allows: dumb/unset refused, names unknown to terminfo drawn with a notice. */
class TermTypeTest {
    @TempDir
    Path terminfo;

    private TermType of(String term) {
        return TermType.of(term == null ? Map.of() : Map.of("TERM", term), List.of(terminfo));
    }

    @Test
    void dumbEmptyAndUnsetAreRefusedWithOneLinePointingToRaw() {
        for (String t : new String[] {"dumb", "DUMB", "", " ", null}) {
            TermType tt = of(t);
            assertTrue(tt.refused(), "TERM=" + t);
            assertTrue(tt.notice().contains("--raw") && !tt.notice().contains("\n"), tt.notice());
        }
        assertTrue(of(null).notice().contains("TERM=<unset>"), of(null).notice());
    }

    @Test
    void xtermFamiliesAreKnownWithoutTerminfo() {
        for (String t : new String[] {"xterm", "xterm-256color", "screen.xterm-256color", "tmux-256color", "screen"}) {
            TermType tt = of(t);
            assertFalse(tt.refused(), t);
            assertNull(tt.notice(), t);
        }
    }

    @Test
    void anEntryInTerminfoIsKnownInBothLayouts() throws Exception {
        assertTrue(of("alacritty").notice() != null, "not installed yet");
        Files.createDirectories(terminfo.resolve("a"));
        Files.writeString(terminfo.resolve("a/alacritty"), "");
        assertNull(of("alacritty").notice());
        Files.createDirectories(terminfo.resolve("66"));      // 'f' in hex: case-insensitive file systems
        Files.writeString(terminfo.resolve("66/foot"), "");
        assertNull(of("foot").notice());
    }

    @Test
    void anUnknownNameIsDrawnWithANotice() {
        TermType tt = of("xyzzy");
        assertFalse(tt.refused());
        assertEquals("TERM=xyzzy is not in this machine's terminfo: drawing with xterm sequences", tt.notice());
        assertFalse(of("../../etc/passwd").refused());
        assertTrue(of("../../etc/passwd").notice() != null, "a path is not a terminal name");
    }

    @Test
    void controlCharactersInTermNeverReachTheScreen() {
        TermType tt = of("evil\u001b]2;owned\u0007" + "x".repeat(100));
        assertFalse(tt.notice().chars().anyMatch(c -> c < 0x20), tt.notice());
        assertTrue(tt.notice().length() < 120, tt.notice());
    }

    @Test
    void theDirectoriesNcursesSearches() {
        List<Path> d = TermType.terminfoDirs(Map.of("TERMINFO", "/t", "HOME", "/h", "TERMINFO_DIRS", "/a::/b"));
        assertEquals(List.of(Path.of("/t"), Path.of("/h/.terminfo"), Path.of("/a"), Path.of("/b"), Path.of("/etc/terminfo"),
                Path.of("/lib/terminfo"), Path.of("/usr/share/terminfo"), Path.of("/usr/lib/terminfo")), d);
    }
}
