// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Key bindings loaded from a keymap file: one {@code <chord> <COMMAND>} pair per line, {@code #}
 * starts a comment line (bind the {@code #} key itself as {@code '#'}). Built-in keymaps live in the jar
 * under {@code /keymaps/<name>.keys}; a name containing '/' or ending in {@code .keys} is read as a file.
 * Immutable after loading.
 */
public final class Keymap {
    private final String name;
    private final Map<KeyChord, Command> bindings;
    private final Map<Command, List<KeyChord>> byCommand;

    private Keymap(String name, Map<KeyChord, Command> bindings) {
        this.name = name;
        this.bindings = Collections.unmodifiableMap(bindings);
        Map<Command, List<KeyChord>> by = new EnumMap<>(Command.class);
        bindings.forEach((k, c) -> by.computeIfAbsent(c, x -> new ArrayList<>()).add(k));
        this.byCommand = by;
    }

    /** Loads a built-in keymap by name ("default", "nofkeys") or a keymap file by path. */
    public static Keymap load(String nameOrPath) throws KeymapException {
        String n = nameOrPath == null || nameOrPath.isBlank() ? "default" : nameOrPath.trim();
        if (n.contains("/") || n.endsWith(".keys")) {
            Path p = Path.of(n);
            try (InputStream in = Files.newInputStream(p)) {
                return parse(p.toString(), in);
            } catch (IOException e) {
                throw new KeymapException(p + ": " + io.wiretop.sys.OsError.reason(e)); // "No such file or directory"
            }
        }
        if (!n.matches("[A-Za-z0-9_-]+")) {
            throw new KeymapException("bad keymap name '" + n + "'");
        }
        try (InputStream in = Keymap.class.getResourceAsStream("/keymaps/" + n + ".keys")) {
            if (in == null) {
                throw new KeymapException("unknown keymap '" + n + "' (built-in: default, nofkeys; or a path to a .keys file)");
            }
            return parse(n, in);
        } catch (IOException e) {
            throw new KeymapException("cannot read keymap " + n + ": " + e.getMessage());
        }
    }

    /** Parses keymap text; errors name the source and line. */
    public static Keymap parse(String source, InputStream in) throws KeymapException, IOException {
        Map<KeyChord, Command> map = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] parts = t.split("\\s+");
            if (parts.length < 2 || (parts.length > 2 && !parts[2].startsWith("#"))) {
                throw new KeymapException(source + ":" + no + ": expected '<key> <COMMAND>', got '" + t + "'");
            }
            KeyChord chord;
            try {
                chord = KeyChord.parse(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new KeymapException(source + ":" + no + ": " + e.getMessage());
            }
            Command cmd;
            try {
                cmd = Command.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new KeymapException(source + ":" + no + ": unknown command '" + parts[1] + "'");
            }
            Command old = map.putIfAbsent(chord, cmd);
            if (old != null && old != cmd) {
                throw new KeymapException(source + ":" + no + ": key " + parts[0] + " already bound to " + old);
            }
        }
        if (!map.containsValue(Command.QUIT)) {
            throw new KeymapException(source + ": no key bound to QUIT");
        }
        return new Keymap(source, map);
    }

    public String name() {
        return name;
    }

    /** The command bound to a keystroke, or null. */
    public Command lookup(KeyStroke k) {
        if (k == null || k.getKeyType() == KeyType.MouseEvent) {
            return null;
        }
        return bindings.get(KeyChord.of(k));
    }

    /** The chords bound to a command, in file order. */
    public List<KeyChord> chordsFor(Command c) {
        return byCommand.getOrDefault(c, List.of());
    }

    public boolean isBound(Command c) {
        return byCommand.containsKey(c);
    }

    /**
     * Function-bar label of a command: its first function key and its first plain letter alias
     * ("F4/\"), so users of terminals that swallow F-keys see the alternative; null when unbound.
     */
    public String label(Command c) {
        List<KeyChord> ks = chordsFor(c);
        if (ks.isEmpty()) {
            return null;
        }
        KeyChord fkey = null, plain = null;
        for (KeyChord k : ks) {
            if (fkey == null && k.type().name().matches("F\\d+") && !k.shift()) {
                fkey = k;
            }
            if (plain == null && k.isPlainCharacter()) {
                plain = k;
            }
        }
        if (fkey != null && plain != null) {
            return fkey.label() + "/" + plain.label();
        }
        if (fkey != null || plain != null) {
            return (fkey != null ? fkey : plain).label();
        }
        return ks.get(0).label();
    }

    /** All labels of a command's chords joined by spaces, for the help page. */
    public String allLabels(Command c) {
        List<String> out = new ArrayList<>();
        for (KeyChord k : chordsFor(c)) {
            out.add(k.label());
        }
        return String.join(" ", out);
    }
}
