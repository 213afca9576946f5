// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one view file (YAML) into a {@link ViewDef} and checks everything that can be checked
 * without the other views. Every problem becomes a one-line {@link ViewLoadException} naming the
 * file. Stateless; thread-safe.
 */
final class ViewFileParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static final Set<String> VIEW_KEYS = Set.of("id", "name", "description", "tips", "type", "source", "filter",
            "applies_to", "drilldown_target", "is_root", "columns", "actions", "sort_ascending",
            "needs");
    /** What a view may need to be offered (view files: {@code needs: pods}). */
    static final Set<String> VIEW_NEEDS = Set.of(io.wiretop.model.Snapshot.PODS);
    static final Set<String> COLUMN_KEYS = Set.of("name", "field", "width", "colsize", "aggregation",
            "groupby_aggregation", "description", "is_key", "is_groupby_key", "is_sorting", "format", "needs");
    static final Set<String> ACTION_KEYS = Set.of("hotkey", "command", "description", "ask_confirmation",
            "wait_finish");

    private final String file;
    private final YamlReader y;

    private ViewFileParser(String file) {
        this.file = file;
        this.y = new YamlReader(file);
    }

    /** Parses and validates the text of one view file; {@code file} is used in messages only. */
    static ViewDef parse(String file, String yaml) throws ViewLoadException {
        return new ViewFileParser(file).parse(yaml);
    }

    /**
     * "line 3, column 9: invalid YAML: mapping values are not allowed here": the parser's problem
     * and where it is, without the excerpt and caret lines that SnakeYAML adds for a terminal.
     */
    static String yamlError(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
            String where = m.getProblemMark() == null ? ""
                    : "line " + (m.getProblemMark().getLine() + 1) + ", column " + (m.getProblemMark().getColumn() + 1) + ": ";
            String context = m.getContext() == null ? "" : " (" + oneLine(m.getContext())
                    + (m.getContextMark() == null ? "" : " at line " + (m.getContextMark().getLine() + 1)) + ")";
            return where + "invalid YAML: " + oneLine(m.getProblem()) + context;
        }
        String where = e.getLocation() == null ? ""
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
        String msg = oneLine(e.getOriginalMessage());
        int cut = msg.indexOf(" at [Source"); // Jackson's location suffix, already given as line and column
        return where + "invalid YAML: " + (cut > 0 ? msg.substring(0, cut) : msg);
    }

    private ViewLoadException fail(String reason) {
        return new ViewLoadException(file, reason);
    }

    private ViewDef parse(String yaml) throws ViewLoadException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw fail(yamlError(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("empty view file");
        }
        if (!root.isObject()) {
            throw fail("expected a mapping of view fields at the top level");
        }
        String id = y.text(root, "id", true, "view");
        if (!id.matches("[A-Za-z0-9_]+")) {
            throw fail("id '" + id + "' may only contain letters, digits and '_'");
        }
        String ctx = "view '" + id + "'";
        y.checkKeys(root, VIEW_KEYS, ctx);
        String name = y.text(root, "name", true, ctx);
        String source = y.text(root, "source", true, ctx);
        Set<String> fields = Fields.of(source);
        if (fields == null) {
            throw fail(ctx + ": unknown source '" + source + "' (known: " + String.join(", ", Fields.sources()) + ")");
        }
        String typeText = y.text(root, "type", false, ctx);
        ViewType type;
        if (typeText == null || typeText.equalsIgnoreCase("table")) {
            type = ViewType.TABLE;
        } else if (typeText.equalsIgnoreCase("list")) {
            type = ViewType.LIST;
        } else {
            throw fail(ctx + ": type must be 'table' or 'list', not '" + typeText + "'");
        }
        String filter = y.text(root, "filter", false, ctx);
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
        if (filter != null) {
            try {
                Filter.parse(filter, fields);
            } catch (FilterSyntaxException e) {
                throw fail(ctx + ": filter '" + filter + "': " + e.getMessage());
            }
        }
        List<String> appliesTo = y.strings(root, "applies_to", ctx);
        if (appliesTo == null) {
            appliesTo = List.of("");
        }
        for (String f : appliesTo) {
            if (!f.isEmpty() && !fields.contains(f)) {
                throw fail(ctx + ": applies_to field '" + f + "' is not a field of source " + source);
            }
        }
        List<ColumnDef> columns = columns(root, fields, source, ctx);
        validateKeys(type, columns, ctx);
        List<ActionDef> actions = actions(root, columns, ctx);
        ColumnDef sorting = columns.stream().filter(ColumnDef::isSorting).findFirst()
                .orElse(type == ViewType.TABLE ? columns.stream().filter(ColumnDef::isKey).findFirst().orElse(null)
                        : null);
        Boolean asc = y.bool(root, "sort_ascending", ctx);
        boolean ascending = asc != null ? asc : sorting != null && !sorting.numeric();
        List<String> tips = y.strings(root, "tips", ctx);
        return new ViewDef(id, name, y.text(root, "description", false, ctx), tips == null ? List.of() : tips, type,
                source, filter, appliesTo, y.text(root, "drilldown_target", false, ctx),
                Boolean.TRUE.equals(y.bool(root, "is_root", ctx)), columns, actions,
                sorting == null ? null : sorting.name(), ascending, viewNeeds(root, ctx));
    }

    private String viewNeeds(JsonNode root, String ctx) throws ViewLoadException {
        String needs = y.text(root, "needs", false, ctx);
        if (needs != null && !VIEW_NEEDS.contains(needs)) {
            throw fail(ctx + ": unknown needs '" + needs + "' (known: " + String.join(", ", new java.util.TreeSet<>(VIEW_NEEDS)) + ")");
        }
        return needs;
    }

    private List<ColumnDef> columns(JsonNode root, Set<String> fields, String source, String ctx)
            throws ViewLoadException {
        JsonNode cols = root.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw fail(ctx + ": 'columns' must be a non-empty list");
        }
        List<ColumnDef> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            JsonNode c = cols.get(i);
            String cctx = ctx + ", column " + (i + 1);
            if (!c.isObject()) {
                throw fail(cctx + ": expected a mapping of column fields");
            }
            y.checkKeys(c, COLUMN_KEYS, cctx);
            String name = y.text(c, "name", true, cctx);
            cctx = ctx + ", column " + (i + 1) + " (" + name + ")";
            String field = y.text(c, "field", true, cctx);
            if (!fields.contains(field)) {
                throw fail(cctx + ": unknown field '" + field + "' for source " + source);
            }
            Integer width = y.integer(c, c.has("width") ? "width" : "colsize", cctx);
            if (c.has("width") && c.has("colsize")) {
                throw fail(cctx + ": give either 'width' or 'colsize', not both");
            }
            if (width != null && width < 0) {
                throw fail(cctx + ": width must be 0 (rest of the line) or positive");
            }
            String format = y.text(c, "format", false, cctx);
            if (format != null && !ColumnDef.FORMATS.contains(format)) {
                throw fail(cctx + ": unknown format '" + format + "' (known: bytes, rate, percent, int, port, text, time)");
            }
            String needs = y.text(c, "needs", false, cctx);
            if (needs != null && !ColumnDef.NEEDS.contains(needs)) {
                throw fail(cctx + ": unknown needs '" + needs + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(ColumnDef.NEEDS)) + ")");
            }
            out.add(new ColumnDef(name, field, width == null ? 10 : width, y.aggregation(c, "aggregation", cctx),
                    y.aggregation(c, "groupby_aggregation", cctx), y.text(c, "description", false, cctx),
                    Boolean.TRUE.equals(y.bool(c, "is_key", cctx)), Boolean.TRUE.equals(y.bool(c, "is_groupby_key", cctx)),
                    Boolean.TRUE.equals(y.bool(c, "is_sorting", cctx)), format, needs,
                    // container columns start hidden: shown once a snapshot says some process runs in one
                    !io.wiretop.model.Snapshot.CONTAINERS.equals(needs)));
        }
        List<ColumnDef> visible = out.stream().filter(c -> !c.hidden()).toList();
        if (visible.isEmpty()) {
            throw fail(ctx + ": every column is hidden (name NA)");
        }
        for (int i = 0; i < visible.size() - 1; i++) {
            if (visible.get(i).width() == 0) {
                throw fail(ctx + ": column " + visible.get(i).name()
                        + " has width 0 (rest of the line) but is not the last visible column");
            }
        }
        return out;
    }

    private void validateKeys(ViewType type, List<ColumnDef> columns, String ctx) throws ViewLoadException {
        long keys = columns.stream().filter(ColumnDef::isKey).count();
        long groupby = columns.stream().filter(ColumnDef::isGroupbyKey).count();
        long sorting = columns.stream().filter(ColumnDef::isSorting).count();
        if (type == ViewType.TABLE && keys == 0) {
            throw fail(ctx + ": a table view needs a key column (is_key: true)");
        }
        if (type == ViewType.LIST && groupby > 0) {
            throw fail(ctx + ": a list view has no group-by column");
        }
        if (groupby > 1) {
            throw fail(ctx + ": at most one column may be is_groupby_key");
        }
        if (sorting > 1) {
            throw fail(ctx + ": at most one column may be is_sorting");
        }
    }

    private List<ActionDef> actions(JsonNode root, List<ColumnDef> columns, String ctx) throws ViewLoadException {
        JsonNode acts = root.get("actions");
        List<ActionDef> out = new ArrayList<>();
        if (acts == null || acts.isNull()) {
            return out;
        }
        if (!acts.isArray()) {
            throw fail(ctx + ": 'actions' must be a list");
        }
        Set<String> columnFields = new java.util.HashSet<>();
        columns.forEach(c -> columnFields.add(c.field()));
        for (int i = 0; i < acts.size(); i++) {
            JsonNode a = acts.get(i);
            String actx = ctx + ", action " + (i + 1);
            if (!a.isObject()) {
                throw fail(actx + ": expected a mapping of action fields");
            }
            y.checkKeys(a, ACTION_KEYS, actx);
            String hotkey = y.text(a, "hotkey", true, actx);
            if (hotkey.codePointCount(0, hotkey.length()) != 1) {
                throw fail(actx + ": hotkey must be one character, not '" + hotkey + "'");
            }
            actx = ctx + ", action '" + hotkey + "'";
            for (ActionDef prev : out) {
                if (prev.hotkey().equals(hotkey)) {
                    throw fail(actx + ": hotkey used twice");
                }
            }
            String command = y.text(a, "command", true, actx);
            Boolean confirm = y.bool(a, "ask_confirmation", actx);
            Boolean wait = y.bool(a, "wait_finish", actx);
            ActionDef def = new ActionDef(hotkey, command, y.text(a, "description", false, actx),
                    Boolean.TRUE.equals(confirm), wait == null || wait);
            for (String f : def.fields()) {
                if (!columnFields.contains(f)) {
                    throw fail(actx + ": command uses %" + f + " but no column of the view has that field"
                            + " (add a hidden column named NA)");
                }
            }
            out.add(def);
        }
        return out;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
