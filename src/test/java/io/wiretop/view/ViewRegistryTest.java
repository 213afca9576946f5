// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewRegistryTest {
    @TempDir
    Path dir;

    static final String MINIMAL = """
            id: mine
            name: My View
            source: processes
            columns:
              - {name: PID, field: proc.pid, width: 7, is_key: true}
              - {name: Command, field: proc.exeline, width: 0}
            """;

    @Test
    void everyShippedViewIsIndexedLoadsAndValidates() throws Exception {
        Set<String> files;
        try (Stream<Path> s = Files.list(Path.of("views"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> indexed = new TreeSet<>(Files.readAllLines(Path.of("views/index.txt")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        assertEquals(files, indexed, "views/index.txt must list every views/*.yaml");

        ViewRegistry r = ViewRegistry.load(List.of());
        for (String id : List.of("procs", "threads", "connections", "sports", "containers", "files", "syscalls",
                "errors", "procs_errors", "syscall_procs", "packets")) {
            ViewDef v = r.get(id);
            assertNotNull(v, id);
            assertNotNull(v.description(), id);
            assertFalse(v.tips().isEmpty(), id + " has tips");
            v.visibleColumns().forEach(c -> assertNotNull(c.description(), id + "." + c.name()));
            assertNotNull(v.keyColumn(), id);
            assertTrue(v.sortColumn() != null || v.type() == ViewType.LIST, id);
            assertEquals("views/" + id + ".yaml", r.origin(id));
        }
        assertEquals(files.size(), r.all().size());
        assertNotNull(r.get(ViewRegistry.DEFAULT_VIEW));
    }

    @Test
    void procsIsTheNetSortedProcessList() throws Exception {
        ViewDef procs = ViewRegistry.load(List.of()).get("procs");
        assertEquals(List.of("PID", "PPID", "CPU", "USER", "TH", "VIRT", "RES", "FILE", "NET", "WIRE", "Command"),
                procs.visibleColumns().stream().map(ColumnDef::name).toList());
        assertEquals(List.of(7, 7, 7, 9, 4, 6, 6, 8, 8, 8, 0),
                procs.visibleColumns().stream().map(ColumnDef::width).toList());
        int fixed = procs.visibleColumns().stream().mapToInt(ColumnDef::width).sum();
        assertTrue(80 - fixed >= 10, "Command keeps 10 columns at 80: " + (80 - fixed));
        assertEquals("evt.wirelen", procs.column("WIRE").field());
        assertEquals("wire", procs.column("WIRE").needs());
        assertEquals("file", procs.column("FILE").needs());
        assertNull(procs.column("NET").needs(), "NET is always collected");
        assertEquals(List.of("PID", "PPID", "CPU", "USER", "TH", "VIRT", "RES", "NET", "Command"),
                procs.shownWith(java.util.Set.of("net")).visibleColumns().stream().map(ColumnDef::name).toList(),
                "FILE and WIRE hidden while not collected");
        assertSame(procs, procs.shownWith(io.wiretop.model.Snapshot.ALL_COUNTERS));
        assertEquals("rate", procs.column("WIRE").effectiveFormat());
        assertEquals("NET", procs.sortColumn());
        assertFalse(procs.sortAscending());
        assertEquals(Aggregation.TIME_AVG, procs.column("NET").aggregation());
        assertEquals("connections", procs.drilldownTarget());
        assertTrue(procs.action("k").askConfirmation());
        assertTrue(procs.action("9").askConfirmation());
        assertFalse(procs.action("k").waitFinish());
        assertTrue(procs.action("s").waitFinish());
        assertTrue(procs.action("f").waitFinish());
        assertFalse(procs.action("[").waitFinish());
        assertEquals("kill -9 %proc.pid", procs.action("9").command());
    }

    @Test
    void packetsListIsReachedFromConnectionsAndAtTopLevel() throws Exception {
        ViewRegistry r = ViewRegistry.load(List.of());
        ViewDef p = r.get("packets");
        assertEquals(ViewType.LIST, p.type());
        assertEquals("packets", p.source());
        assertEquals(List.of("TIME", "DIR", "IF", "PROTO", "SOURCE", "DEST", "LEN", "FLAGS", "PID", "Command", "INFO"),
                p.visibleColumns().stream().map(ColumnDef::name).toList());
        assertEquals("evt.num", p.keyColumn().field(), "the selection follows a packet while the list scrolls");
        assertEquals("int", p.column("LEN").effectiveFormat());
        assertEquals(0, p.column("INFO").width());
        assertEquals("packets", r.get("connections").drilldownTarget());
        assertEquals(List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT", "BPS IN", "BPS OUT", "WIRE IN", "WIRE OUT", "IOPS",
                "Command"), r.get("connections").visibleColumns().stream().map(ColumnDef::name).toList());
        assertEquals(Aggregation.TIME_AVG, r.get("connections").column("WIRE OUT").aggregation());
        assertEquals(List.of("fd.cookie", "proc.pid"), r.get("connections").keyColumns().stream().map(ColumnDef::field).toList());
        for (String level : List.of("", "proc.pid", "fd.cookie")) {
            assertTrue(r.applicableTo(level).contains(p), "offered at '" + level + "'");
        }
        assertFalse(r.applicableTo("container.id").contains(p));
    }

    @Test
    void aListViewMayHaveAKeyButNoGroupBy() throws Exception {
        Files.writeString(dir.resolve("l.yaml"), MINIMAL.replace("source: processes", "type: list\nsource: processes"));
        assertEquals("proc.pid", ViewRegistry.load(List.of(dir)).get("mine").keyColumn().field());
        assertBroken(MINIMAL.replace("source: processes", "type: list\nsource: processes")
                .replace("is_key: true", "is_groupby_key: true"), "a list view has no group-by column");
    }

    @Test
    void viewsOfferedPerSelectionAreAlphabetical() throws Exception {
        ViewRegistry r = ViewRegistry.load(List.of());
        List<String> top = r.applicableTo("").stream().map(ViewDef::name).toList();
        assertEquals(top.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(), top);
        assertTrue(top.contains("Processes"));
        assertFalse(top.contains("Syscall Callers"));
        assertEquals(List.of("Syscall Callers"), r.applicableTo("evt.type").stream().map(ViewDef::name)
                .filter(n -> n.equals("Syscall Callers")).toList());
        assertTrue(r.applicableTo("proc.pid").stream().anyMatch(v -> v.id().equals("connections")));
        List<String> all = r.all().stream().map(ViewDef::name).toList();
        assertEquals(all.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(), all);
    }

    @Test
    void userDirAddsAndOverridesById() throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), MINIMAL);
        Files.writeString(dir.resolve("procs.yml"), MINIMAL.replace("id: mine", "id: procs")
                .replace("My View", "My Processes"));
        Files.writeString(dir.resolve("notes.txt"), "not a view");
        ViewRegistry r = ViewRegistry.load(List.of(dir, dir.resolve("missing")));
        assertEquals("My View", r.get("mine").name());
        assertEquals("My Processes", r.get("procs").name());
        assertEquals(dir.resolve("procs.yml").toString(), r.origin("procs"));
        assertEquals("PID", r.get("mine").sortColumn()); // no is_sorting: the key column
        assertEquals("Connections", r.get("connections").name());
    }

    @Test
    void brokenFilesGiveOneLineErrorsNamingTheFile() throws IOException {
        assertBroken("id: x\nname: [unclosed\n", "line 3, column 1: invalid YAML: ");
        assertBroken("", "empty view file");
        assertBroken("- a\n- b\n", "expected a mapping");
        assertBroken(MINIMAL.replace("proc.exeline", "proc.exelin"),
                "view 'mine', column 2 (Command): unknown field 'proc.exelin' for source processes");
        assertBroken(MINIMAL.replace(", is_key: true", ""), "view 'mine': a table view needs a key column");
        assertBroken(MINIMAL.replace("source: processes", "source: sockets"), "view 'mine': unknown source 'sockets'");
        assertBroken(MINIMAL + "filter: proc.name = = x\n", "view 'mine': filter 'proc.name = = x': expected a value");
        assertBroken(MINIMAL + "filter: fd.lport = 1\n", "unknown field 'fd.lport' at position 0");
        assertBroken(MINIMAL + "drilldown_target: nowhere\n", "view 'mine': unknown drilldown_target 'nowhere'");
        assertBroken(MINIMAL + "drilldown_target: syscall_procs\nx_typo: 1\n", "view 'mine': unknown key 'x_typo'");
        assertBroken(MINIMAL.replace("proc.pid, width: 7, is_key: true", "user.name, width: 7, is_key: true")
                + "drilldown_target: files\n", "drilldown_target 'files' (source files) has no field user.name");
        assertBroken(MINIMAL.replace("width: 7,", "width: seven,"), "'width' must be a whole number");
        assertBroken(MINIMAL.replace("width: 0}", "width: 0, aggregation: MEDIAN}"), "unknown aggregation 'MEDIAN'");
        assertBroken(MINIMAL.replace("width: 0}", "width: 0, needs: disk}"), "unknown needs 'disk' (known: containers, file, wire)");
        assertBroken(MINIMAL.replace("width: 7,", "width: 0,"), "column PID has width 0");
        assertBroken(MINIMAL + "actions:\n  - {hotkey: k, command: kill %proc.ppid}\n",
                "action 'k': command uses %proc.ppid but no column");
        assertBroken(MINIMAL + "actions:\n  - {hotkey: kk, command: kill %proc.pid}\n", "hotkey must be one character");
        assertBroken(MINIMAL + "actions:\n  - {hotkey: k, command: a}\n  - {hotkey: k, command: b}\n", "hotkey used twice");
        assertBroken(MINIMAL + "applies_to: [fd.sport]\n", "applies_to field 'fd.sport' is not a field of source processes");
        assertBroken("id: mine\nid: again\n", "invalid YAML");
    }

    /** Issue 8 item 16: YAML errors are one short line with the place, not SnakeYAML's excerpt and caret. */
    @Test
    void yamlErrorsAreOneShortLineWithThePlace() throws IOException {
        assertReason("id: x\nname: y\n  source: z\n", "line 3, column 9: invalid YAML: mapping values are not allowed here");
        assertReason("id: x\nname: \"unterminated\nsource: processes\n",
                "line 4, column 1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2)");
        assertReason("id: x\nname: y\nname: z\n", "line 3, column 5: invalid YAML: Duplicate field 'name'");
    }

    /** Issue 8 item 16: a view file that is not UTF-8 says where, not the decoder's "Input length = 1". */
    @Test
    void aNonUtf8ViewFileSaysWhichLine() throws IOException {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, "id: x\n# caf\u00e9\nname: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        ViewLoadException e = assertThrows(ViewLoadException.class, () -> ViewRegistry.load(List.of(dir)));
        assertEquals(f + ": line 2: not UTF-8 text (byte 0xe9)", e.getMessage());
    }

    /** Issue 8 item 16: WIRETOP_VIEWS_DIR is asked for by name: one that names no directory is an error. */
    @Test
    void aMissingOrMistypedViewsDirIsAnError() throws IOException {
        Path missing = dir.resolve("no-such-dir");
        ViewLoadException e = assertThrows(ViewLoadException.class,
                () -> ViewRegistry.userDir(java.util.Map.of("WIRETOP_VIEWS_DIR", missing.toString())));
        assertEquals("WIRETOP_VIEWS_DIR=" + missing + ": No such file or directory", e.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "");
        e = assertThrows(ViewLoadException.class,
                () -> ViewRegistry.userDir(java.util.Map.of("WIRETOP_VIEWS_DIR", file.toString())));
        assertEquals("WIRETOP_VIEWS_DIR=" + file + ": Not a directory", e.getMessage());
        assertEquals(dir, assertDoesNotThrowDir(java.util.Map.of("WIRETOP_VIEWS_DIR", dir.toString())));
        // the XDG default is only a default: it may be absent
        Path xdg = dir.resolve("xdg");
        assertEquals(xdg.resolve("wiretop").resolve("views"), assertDoesNotThrowDir(java.util.Map.of("XDG_CONFIG_HOME", xdg.toString())));
    }

    private static Path assertDoesNotThrowDir(java.util.Map<String, String> env) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> ViewRegistry.userDir(env));
    }

    private void assertReason(String yaml, String reason) throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, yaml);
        ViewLoadException e = assertThrows(ViewLoadException.class, () -> ViewRegistry.load(List.of(dir)), yaml);
        assertEquals(reason, e.reason());
    }

    private void assertBroken(String yaml, String expected) throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, yaml);
        ViewLoadException e = assertThrows(ViewLoadException.class, () -> ViewRegistry.load(List.of(dir)), yaml);
        assertEquals(f.toString(), e.file());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.reason().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void duplicateIdsInOneDirAreRejected() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), MINIMAL);
        Files.writeString(dir.resolve("b.yaml"), MINIMAL);
        ViewLoadException e = assertThrows(ViewLoadException.class, () -> ViewRegistry.load(List.of(dir)));
        assertEquals(dir.resolve("b.yaml").toString(), e.file());
        assertTrue(e.reason().contains("duplicate view id 'mine'"), e.getMessage());
        assertTrue(e.reason().contains("a.yaml"), e.getMessage());
    }

    @Test
    void unknownIdIsNull() throws Exception {
        assertNull(ViewRegistry.load(List.of()).get("nope"));
    }

    @Test
    void colsizeAliasSortAscendingAndDefaults() throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), MINIMAL.replace("width: 7,", "colsize: 9, is_sorting: true,")
                + "sort_ascending: true\nactions:\n  - {hotkey: k, command: kill %proc.pid}\n");
        ViewDef v = ViewRegistry.load(List.of(dir)).get("mine");
        assertEquals(9, v.column("PID").width());
        assertEquals("PID", v.sortColumn());
        assertTrue(v.sortAscending());
        assertEquals(ViewType.TABLE, v.type());
        assertEquals(List.of(""), v.appliesTo());
        assertFalse(v.isRoot());
        assertEquals(Aggregation.NONE, v.column("Command").aggregation());
        assertTrue(v.action("k").waitFinish(), "csysdig default: wait");
        assertFalse(v.action("k").askConfirmation(), "csysdig default: no confirmation");
        assertEquals("text", v.column("Command").effectiveFormat());
        assertEquals("int", v.column("PID").effectiveFormat());
    }
}
