// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.Locale;
import java.util.Map;

/**
 * One key with its modifiers, as written in keymap files ({@code F2}, {@code Ctrl+F}, {@code Esc+2},
 * {@code '#'}, {@code h}) and as decoded by lanterna. {@code Esc+x} and {@code Alt+x} are the same chord:
 * terminals send Alt+x as ESC followed by x, which is also what a user types as ESC then x.
 *
 * @param ch the character for {@link KeyType#Character} chords (lower case when ctrl is set), else 0
 */
public record KeyChord(KeyType type, char ch, boolean ctrl, boolean alt, boolean shift) {

    private static final Map<String, KeyType> NAMES = Map.ofEntries(
            Map.entry("enter", KeyType.Enter), Map.entry("return", KeyType.Enter),
            Map.entry("backspace", KeyType.Backspace), Map.entry("bksp", KeyType.Backspace),
            Map.entry("escape", KeyType.Escape), Map.entry("esc", KeyType.Escape),
            Map.entry("tab", KeyType.Tab), Map.entry("backtab", KeyType.ReverseTab),
            Map.entry("up", KeyType.ArrowUp), Map.entry("down", KeyType.ArrowDown),
            Map.entry("left", KeyType.ArrowLeft), Map.entry("right", KeyType.ArrowRight),
            Map.entry("pageup", KeyType.PageUp), Map.entry("pgup", KeyType.PageUp),
            Map.entry("pagedown", KeyType.PageDown), Map.entry("pgdn", KeyType.PageDown),
            Map.entry("home", KeyType.Home), Map.entry("end", KeyType.End),
            Map.entry("delete", KeyType.Delete), Map.entry("del", KeyType.Delete),
            Map.entry("insert", KeyType.Insert));

    /** Parses the chord syntax of keymap files; throws IllegalArgumentException with the reason. */
    public static KeyChord parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        if (s.length() == 3 && s.charAt(0) == '\'' && s.charAt(2) == '\'') {
            return new KeyChord(KeyType.Character, s.charAt(1), false, false, false);
        }
        if (s.length() == 1) {
            return new KeyChord(KeyType.Character, s.charAt(0), false, false, false);
        }
        boolean ctrl = false, alt = false, shift = false;
        while (true) {
            String low = s.toLowerCase(Locale.ROOT);
            int cut;
            if (low.startsWith("ctrl+") || low.startsWith("ctrl-")) {
                ctrl = true;
                cut = 5;
            } else if (low.startsWith("alt+") || low.startsWith("alt-")) {
                alt = true;
                cut = 4;
            } else if (low.startsWith("esc+") && s.length() > 4) {
                alt = true;
                cut = 4;
            } else if (low.startsWith("shift+")) {
                shift = true;
                cut = 6;
            } else {
                break;
            }
            s = s.substring(cut);
            if (s.isEmpty()) {
                throw new IllegalArgumentException("key missing after modifier in '" + text + "'");
            }
        }
        if (s.length() == 3 && s.charAt(0) == '\'' && s.charAt(2) == '\'') {
            s = s.substring(1, 2);
        }
        if (s.length() == 1) {
            char c = s.charAt(0);
            return new KeyChord(KeyType.Character, ctrl ? Character.toLowerCase(c) : c, ctrl, alt, false);
        }
        String low = s.toLowerCase(Locale.ROOT);
        if (low.equals("space")) {
            return new KeyChord(KeyType.Character, ' ', ctrl, alt, false);
        }
        if (low.matches("f([1-9]|1[0-9])")) {
            return new KeyChord(KeyType.valueOf("F" + low.substring(1)), (char) 0, ctrl, alt, shift);
        }
        KeyType t = NAMES.get(low);
        if (t == null) {
            throw new IllegalArgumentException("unknown key '" + text + "'");
        }
        return new KeyChord(t, (char) 0, ctrl, alt, shift);
    }

    /** The chord of a decoded keystroke (Character keys ignore shift: '!' already says it). */
    public static KeyChord of(KeyStroke k) {
        if (k.getKeyType() == KeyType.Character && k.getCharacter() != null) {
            char c = k.getCharacter();
            return new KeyChord(KeyType.Character, k.isCtrlDown() ? Character.toLowerCase(c) : c,
                    k.isCtrlDown(), k.isAltDown(), false);
        }
        return new KeyChord(k.getKeyType(), (char) 0, k.isCtrlDown(), k.isAltDown(), k.isShiftDown());
    }

    /** True for a chord a user can type on any terminal without function keys. */
    public boolean isPlainCharacter() {
        return type == KeyType.Character && !ctrl && !alt;
    }

    /** Short text for the function bar and help page: F2, h, CTRL+F, Esc 2, Bksp. */
    public String label() {
        StringBuilder b = new StringBuilder();
        if (ctrl) {
            b.append("CTRL+");
        }
        if (alt) {
            b.append("Esc ");
        }
        if (shift) {
            b.append("Shift+");
        }
        if (type == KeyType.Character) {
            b.append(ch == ' ' ? "Space" : ctrl ? String.valueOf(Character.toUpperCase(ch)) : String.valueOf(ch));
        } else {
            b.append(switch (type) {
                case Enter -> "Enter";
                case Backspace -> "Bksp";
                case Escape -> "Esc";
                case ArrowUp -> "Up";
                case ArrowDown -> "Down";
                case ArrowLeft -> "Left";
                case ArrowRight -> "Right";
                case PageUp -> "PgUp";
                case PageDown -> "PgDn";
                case Delete -> "Del";
                case ReverseTab -> "BackTab";
                default -> type.name();
            });
        }
        return b.toString();
    }
}
