// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.text.SafeText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code TERM} allows before the full-screen UI starts. The screen is drawn with the xterm/VT100
 * subset lanterna emits (cursor addressing, SGR, the alternate screen), not from terminfo, so:
 * <ul>
 * <li>{@code dumb}, empty or unset (Emacs shell buffers, vim's {@code :!}, {@code env -i}): refused
 *     with one line pointing to {@code --raw}. Such a terminal cannot address the cursor; htop draws
 *     garbage there and top falls back to printing frames one after another, which is what --raw is.</li>
 * <li>a name this machine's terminfo does not know (ssh passes the client's TERM: xterm-kitty,
 *     alacritty, foot, and tmux-256color on a Debian without ncurses-term): drawn anyway with a
 *     one-line notice. htop refuses there ("Error opening terminal"), which locks out every user of a
 *     newer terminal emulator for a database entry wiretop does not read.</li>
 * </ul>
 */
record TermType(String term, boolean refused, String notice) {

    /** Families whose escape sequences are the ones lanterna sends: known with or without terminfo. */
    private static final List<String> XTERM_LIKE = List.of("xterm", "screen", "tmux");

    static TermType of(Map<String, String> env) {
        return of(env, terminfoDirs(env));
    }

    static TermType of(Map<String, String> env, List<Path> terminfoDirs) {
        String term = env.getOrDefault("TERM", "").strip();
        if (term.isEmpty() || term.equalsIgnoreCase("dumb")) {
            return new TermType(term, true, "the full-screen UI cannot run with TERM="
                    + (term.isEmpty() ? "<unset>" : printable(term)) + ": use --raw or --json (or set TERM=xterm)");
        }
        if (known(term, terminfoDirs)) {
            return new TermType(term, false, null);
        }
        return new TermType(term, false, "TERM=" + printable(term)
                + " is not in this machine's terminfo: drawing with xterm sequences");
    }

    private static boolean known(String term, List<Path> dirs) {
        String lower = term.toLowerCase(Locale.ROOT);
        for (String family : XTERM_LIKE) {
            if (lower.equals(family) || lower.startsWith(family + "-") || lower.startsWith(family + ".")) {
                return true;
            }
        }
        if (term.contains("/") || term.startsWith(".")) {
            return false; // a path, not a terminal name
        }
        String hex = Integer.toHexString(term.charAt(0));
        for (Path d : dirs) {
            // ncurses' layouts: <dir>/x/xterm, and <dir>/78/xterm on case-insensitive file systems
            if (Files.exists(d.resolve(term.substring(0, 1)).resolve(term)) || Files.exists(d.resolve(hex).resolve(term))) {
                return true;
            }
        }
        return false;
    }

    /** The directories ncurses searches, in its order (terminfo(5)). */
    static List<Path> terminfoDirs(Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        String ti = env.get("TERMINFO");
        if (ti != null && !ti.isEmpty()) {
            dirs.add(Path.of(ti));
        }
        String home = env.get("HOME");
        if (home != null && !home.isEmpty()) {
            dirs.add(Path.of(home, ".terminfo"));
        }
        String tid = env.get("TERMINFO_DIRS");
        if (tid != null) {
            for (String d : tid.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : new String[] {"/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"}) {
            dirs.add(Path.of(d));
        }
        return dirs;
    }

    /** TERM comes from the environment: shown without control characters, and not at any length. */
    private static String printable(String s) {
        return SafeText.escape(s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
