// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The set of views: the built-in ones from the classpath ({@code /views/*.yaml}, listed in
 * {@code /views/index.txt}), then the files of the user's dirs, which override built-ins by id.
 * A broken file gives a {@link ViewLoadException} with the file name and the reason.
 * Immutable once loaded; safe to share between threads.
 */
public final class ViewRegistry {
    /** The view shown at start-up. */
    public static final String DEFAULT_VIEW = "procs";

    private static final Comparator<ViewDef> BY_NAME = Comparator
            .comparing((ViewDef v) -> v.name().toLowerCase(java.util.Locale.ROOT)).thenComparing(ViewDef::id);

    private final Map<String, ViewDef> views;
    private final Map<String, String> origins;

    private ViewRegistry(Map<String, ViewDef> views, Map<String, String> origins) {
        this.views = Map.copyOf(views);
        this.origins = Map.copyOf(origins);
    }

    /** Built-ins plus the user dir: $WIRETOP_VIEWS_DIR, else $XDG_CONFIG_HOME/wiretop/views, else ~/.config/wiretop/views. */
    public static ViewRegistry loadDefault() throws ViewLoadException {
        return load(List.of(userDir(System.getenv())));
    }

    /** The user view dir named by the environment (it may not exist). */
    public static Path defaultUserDir() {
        return defaultUserDir(System.getenv());
    }

    /**
     * The user view dir of this environment. WIRETOP_VIEWS_DIR is asked for by name, so one that
     * names no directory is an error (a typo must not silently fall back to the built-in views);
     * the XDG default may be absent.
     */
    static Path userDir(java.util.Map<String, String> env) throws ViewLoadException {
        String dir = env.get(VIEWS_DIR_VARIABLE);
        if (dir != null && !dir.isBlank() && !Files.isDirectory(Path.of(dir))) {
            throw new ViewLoadException(VIEWS_DIR_VARIABLE + "=" + dir,
                    Files.exists(Path.of(dir)) ? "Not a directory" : "No such file or directory");
        }
        return defaultUserDir(env);
    }

    /** The environment variable naming the user's view dir. */
    public static final String VIEWS_DIR_VARIABLE = "WIRETOP_VIEWS_DIR";

    private static Path defaultUserDir(java.util.Map<String, String> env) {
        String dir = env.get(VIEWS_DIR_VARIABLE);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "wiretop", "views");
        }
        return Path.of(System.getProperty("user.home"), ".config", "wiretop", "views");
    }

    /** Built-ins, then each dir in order (missing dirs are skipped); later files override earlier ones by id. */
    public static ViewRegistry load(List<Path> userDirs) throws ViewLoadException {
        Map<String, ViewDef> views = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        Map<String, String> seenInLayer = new HashMap<>();
        for (String name : builtinNames()) {
            String file = "views/" + name;
            add(views, origins, seenInLayer, file, ViewFileParser.parse(file, readResource("/views/" + name, file)));
        }
        for (Path dir : userDirs) {
            if (dir == null || !Files.isDirectory(dir)) {
                continue;
            }
            seenInLayer.clear();
            for (Path p : listYaml(dir)) {
                String text = readUtf8(p);
                add(views, origins, seenInLayer, p.toString(), ViewFileParser.parse(p.toString(), text));
            }
        }
        checkLinks(views, origins);
        return new ViewRegistry(views, origins);
    }

    private static void add(Map<String, ViewDef> views, Map<String, String> origins, Map<String, String> layer,
                            String file, ViewDef v) throws ViewLoadException {
        String other = layer.put(v.id(), file);
        if (other != null) {
            throw new ViewLoadException(file, "duplicate view id '" + v.id() + "' (also defined in " + other + ")");
        }
        views.put(v.id(), v);
        origins.put(v.id(), file);
    }

    /** Checks what involves two views: drill-down targets exist and can filter on the selected field. */
    private static void checkLinks(Map<String, ViewDef> views, Map<String, String> origins) throws ViewLoadException {
        for (ViewDef v : views.values()) {
            if (v.drilldownTarget() == null) {
                continue;
            }
            ViewDef t = views.get(v.drilldownTarget());
            if (t == null) {
                throw new ViewLoadException(origins.get(v.id()), "view '" + v.id() + "': unknown drilldown_target '"
                        + v.drilldownTarget() + "'");
            }
            ColumnDef key = v.keyColumn();
            if (key != null && !Fields.of(t.source()).contains(key.field())) {
                throw new ViewLoadException(origins.get(v.id()), "view '" + v.id() + "': drilldown_target '" + t.id()
                        + "' (source " + t.source() + ") has no field " + key.field() + " to select on");
            }
        }
    }

    private static List<String> builtinNames() throws ViewLoadException {
        String index = readResource("/views/index.txt", "views/index.txt");
        List<String> out = new ArrayList<>();
        for (String line : index.split("\\R")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s);
            }
        }
        return out;
    }

    private static String readResource(String resource, String file) throws ViewLoadException {
        try (InputStream in = ViewRegistry.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ViewLoadException(file, "not found in the wiretop jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ViewLoadException(file, "cannot read: " + e.getMessage());
        }
    }

    /** A view file's text; bytes that are not UTF-8 are reported by line, not as a decoder's "Input length = 1". */
    static String readUtf8(Path p) throws ViewLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ViewLoadException(p.toString(), "cannot read: " + io.wiretop.sys.OsError.reason(e));
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ViewLoadException(p.toString(), String.format("line %d: not UTF-8 text (byte 0x%02x)", line,
                    bytes[at] & 0xff));
        }
        return out.flip().toString();
    }

    private static List<Path> listYaml(Path dir) throws ViewLoadException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new ViewLoadException(dir.toString(), "cannot list view dir: " + e.getMessage());
        }
    }

    /** The view with this id, or null if unknown. */
    public ViewDef get(String id) {
        return views.get(id);
    }

    /** Every view, sorted by name. */
    public List<ViewDef> all() {
        return views.values().stream().sorted(BY_NAME).toList();
    }

    /** Views offered for a selection field ("" at top level), alphabetical by name (the F2 list). */
    public List<ViewDef> applicableTo(String selectionField) {
        String f = selectionField == null ? "" : selectionField;
        return views.values().stream().filter(v -> v.appliesTo().contains(f)).sorted(BY_NAME).toList();
    }

    /** Where a view was loaded from ("views/procs.yaml" or a user file path), or null. */
    public String origin(String id) {
        return origins.get(id);
    }
}
