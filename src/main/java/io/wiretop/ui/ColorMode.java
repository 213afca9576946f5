// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.util.Locale;
import java.util.Map;

/** How many colours the terminal gets: 256, the 8 ANSI ones, or none (attributes only). */
public enum ColorMode {
    NONE, ANSI8, INDEXED256;

    /**
     * Chooses from the environment: {@code NO_COLOR} (any value, https://no-color.org) or a
     * {@code TERM} of vt100/vt220/dumb/unset means no colour; 256 when TERM or COLORTERM says so.
     */
    public static ColorMode detect(Map<String, String> env) {
        if (env.containsKey("NO_COLOR")) {
            return NONE;
        }
        String term = env.getOrDefault("TERM", "").toLowerCase(Locale.ROOT);
        if (term.isEmpty() || term.equals("dumb") || term.startsWith("vt1") || term.startsWith("vt2")
                || term.startsWith("vt5") || term.equals("ansi-mono")) {
            return NONE;
        }
        String colorterm = env.getOrDefault("COLORTERM", "").toLowerCase(Locale.ROOT);
        if (term.contains("256") || colorterm.contains("truecolor") || colorterm.contains("24bit")) {
            return INDEXED256;
        }
        return ANSI8;
    }

    /** Parses a --color option value: auto, 256, 8, none. */
    public static ColorMode parse(String s, Map<String, String> env) {
        if (s == null || s.isBlank() || s.equalsIgnoreCase("auto")) {
            return detect(env);
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "256" -> INDEXED256;
            case "8", "16" -> ANSI8;
            case "none", "no", "0", "mono" -> NONE;
            default -> throw new IllegalArgumentException("bad colour mode '" + s + "' (auto, 256, 8, none)");
        };
    }

    /** True when the terminal charset can show non-ASCII glyphs (LC_ALL / LC_CTYPE / LANG say UTF-8). */
    public static boolean utf8(Map<String, String> env) {
        for (String k : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }
}
