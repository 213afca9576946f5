// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.host.ContainerMeta;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Containers and Pods views, the CONTAINER column and the container filter fields over rows
 * whose runtime answered (names, images, pods) and rows whose did not (ids only).
 */
class ContainerViewsTest {
    static final String WEB = "aaaaaaaaaaaa", DB = "bbbbbbbbbbbb", LONE = "cccccccccccc";
    static final ContainerMeta WEB_META = new ContainerMeta(WEB + "0".repeat(52), "web", "localhost/nginx:1", "podman",
            "shop", null, Map.of());
    static final ContainerMeta DB_META = new ContainerMeta(DB + "0".repeat(52), "k8s_db_db-0_prod_u_0", "redis:7",
            "docker", "db-0", "prod", Map.of("io.kubernetes.pod.name", "db-0"));
    static ViewRegistry views;

    @BeforeAll
    static void load() throws ViewLoadException {
        views = ViewRegistry.load(List.of());
    }

    static ProcessRow proc(long pid, long net, String container, ContainerMeta meta) {
        return new ProcessRow(pid, 1, 1, "p" + pid, "p" + pid, "root", 0, 1, 1000, 100, 1.0, net, 0, 0, 0, 0,
                container, false, 0, 0, meta);
    }

    static Snapshot snap(List<ProcessRow> rows, List<ConnectionRow> conns) {
        Set<String> on = new HashSet<>(Snapshot.ALL_COUNTERS);
        on.add(Snapshot.CONTAINERS);
        if (rows.stream().anyMatch(r -> r.container() != null && r.container().pod() != null)) {
            on.add(Snapshot.PODS);
        }
        return new Snapshot(1, 0, 1.0, Map.of(Snapshot.PROCESSES, rows, Snapshot.CONNECTIONS, conns), Losses.NONE, "t", on);
    }

    static final List<ProcessRow> ROWS = List.of(
            proc(1, 5, "host", null),
            proc(10, 100, WEB, WEB_META), proc(11, 50, WEB, WEB_META),
            proc(20, 1000, DB, DB_META),
            proc(30, 10, LONE, ContainerMeta.idOnly(LONE)));

    @Test
    void containersShowEngineImageNameSortedByNet() {
        ViewTable t = ViewTable.build(views.get("containers"), snap(ROWS, List.of()), Filter.ALL);
        assertEquals(List.of(DB, WEB, LONE), t.rows().stream().map(TableRow::key).toList());
        ViewDef v = views.get("containers");
        assertEquals(List.of("CPU", "PROCS", "THREADS", "VIRT", "RES", "FILE", "NET", "WIRE", "ENGINE", "IMAGE", "ID", "NAME"),
                v.visibleColumns().stream().map(ColumnDef::name).toList());
        assertEquals(List.of("2.00", "2", "2", "2K", "200", "0.00", "150.00", "0.00", "podman", "localhost/nginx:1", WEB, "web"),
                t.rows().get(1).cells());
        assertEquals(List.of("", "", LONE, LONE), t.rows().get(2).cells().subList(8, 12), "no runtime: the id");
    }

    @Test
    void podsGroupContainersAndAreOfferedOnlyWhenAPodExists() throws Exception {
        List<ProcessRow> rows = new java.util.ArrayList<>(ROWS);
        ContainerMeta side = new ContainerMeta("dddddddddddd" + "0".repeat(52), "sidecar", "envoy", "podman", "shop", null, Map.of());
        rows.add(proc(40, 7, "dddddddddddd", side));
        ViewDef pods = views.get("pods");
        ViewTable t = ViewTable.build(pods, snap(rows, List.of()), Filter.ALL);
        assertEquals(List.of("db-0", "shop"), t.rows().stream().map(TableRow::key).toList());
        // CPU, NET, CONTAINERS, PROCS, NAMESPACE, POD
        assertEquals(List.of("3.00", "157.00", "2", "3", "", "shop"), t.rows().get(1).cells());
        assertEquals(List.of("1.00", "1000.00", "1", "1", "prod", "db-0"), t.rows().get(0).cells());
        assertTrue(pods.offeredWith(Set.of(Snapshot.PODS)));
        assertFalse(pods.offeredWith(Snapshot.ALL_COUNTERS));
        // Enter on a pod: its containers
        Filter sel = ViewTable.selection(pods, t.rows().get(1));
        ViewTable cs = ViewTable.build(views.get(pods.drilldownTarget()), snap(rows, List.of()), sel);
        assertEquals(List.of(WEB, "dddddddddddd"), cs.rows().stream().map(TableRow::key).toList());
        assertTrue(views.applicableTo("k8s.pod.name").stream().anyMatch(v -> v.id().equals("containers")));
    }

    @Test
    void theContainerColumnShowsOnlyWhenAContainerExists() {
        ViewDef procs = views.get("procs");
        assertFalse(procs.visibleColumns().stream().anyMatch(c -> c.name().equals("CONTAINER")), "hidden at first");
        ViewDef shown = procs.shownWith(snap(ROWS, List.of()).collected());
        assertTrue(shown.visibleColumns().stream().anyMatch(c -> c.name().equals("CONTAINER")));
        assertFalse(procs.shownWith(Snapshot.ALL_COUNTERS).visibleColumns().stream().anyMatch(c -> c.name().equals("CONTAINER")));
        ViewTable t = ViewTable.build(shown, snap(ROWS, List.of()), Filter.ALL);
        int col = shown.visibleColumns().stream().map(ColumnDef::name).toList().indexOf("CONTAINER");
        Map<String, String> byPid = new java.util.HashMap<>();
        t.rows().forEach(r -> byPid.put(r.key(), r.cells().get(col)));
        assertEquals(Map.of("1", "host", "10", "web", "11", "web", "20", "k8s_db_db-0_prod_u_0", "30", LONE), byPid);
        ViewDef conns = views.get("connections").shownWith(snap(ROWS, List.of()).collected());
        assertTrue(conns.visibleColumns().stream().anyMatch(c -> c.name().equals("CONTAINER")));
    }

    @Test
    void filterFieldsNameContainersImagesPodsAndNamespaces() throws Exception {
        Snapshot s = snap(ROWS, List.of(new ConnectionRow(20, 1, "p20", "p20", 7, "tcp", "127.0.0.1", 6379, "127.0.0.1",
                4000, true, 10, 10, 1, 1, DB, 0, 0, DB_META)));
        assertEquals(List.of("10", "11"), keys("procs", s, "container.name = web"));
        assertEquals(List.of("20"), keys("procs", s, "container.image startswith redis"));
        assertEquals(List.of("10", "11"), keys("procs", s, "k8s.pod.name = shop"));
        assertEquals(List.of("20"), keys("procs", s, "k8s.ns.name = prod"));
        assertEquals(List.of("30"), keys("procs", s, "container.id = " + LONE));
        assertEquals(List.of("1"), keys("procs", s, "container.name = host"));
        assertEquals(List.of("20"), keys("procs", s, "container.type = docker"));
        assertEquals(1, ViewTable.build(views.get("connections"), s, Filter.parse("k8s.ns.name = prod")).rows().size());
    }

    @Test
    void aRuntimesTextIsEscapedOnScreenAndInRawLines() {
        ContainerMeta evil = new ContainerMeta(LONE + "0".repeat(52), "web\u001b[2J\nrm -rf", "img\u0007", "docker",
                null, null, Map.of());
        ViewTable t = ViewTable.build(views.get("containers"), snap(List.of(proc(30, 10, LONE, evil)), List.of()), Filter.ALL);
        String raw = t.rawLine(t.rows().get(0));
        assertFalse(raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f), raw);
        assertTrue(raw.contains("web\\x1b[2J\\nrm -rf") || raw.contains("web\\e[2J"), raw);
    }

    private static List<String> keys(String view, Snapshot s, String filter) throws Exception {
        return ViewTable.build(views.get(view), s, Filter.parse(filter)).rows().stream().map(TableRow::key).sorted().toList();
    }
}
