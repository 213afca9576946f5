// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerTest {
    private static final String TX = "wiretop_process_network_transmit_bytes";
    private static final String RX = "wiretop_process_network_receive_bytes";

    private long seq;

    private static ProcessRow row(long pid, String comm, long in, long out, boolean exited) {
        return row(pid, comm, in, out, exited, "host");
    }

    private static ProcessRow row(long pid, String comm, long in, long out, boolean exited, String container) {
        return new ProcessRow(pid, 1, 100 + pid, comm, comm, "root", 0, 1, 0, 0, 0, in, out, 0, 0, 0, container,
                exited, 7, 9);
    }

    private Snapshot snap(ProcessRow... rows) {
        seq++;
        return new Snapshot(seq, seq * 1_000_000_000L, 1, Map.<String, List<? extends Row>>of(Snapshot.PROCESSES,
                List.of(rows)), new Losses(3, 0, 0, 0), "test", Set.of(Snapshot.NET));
    }

    /** Value of each series of a family, by its labels as text. */
    private static Map<String, Double> series(Exposition e, String family) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot m : e.metrics()) {
            if (m.getMetadata().getName().equals(family)) {
                for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) m).getDataPoints()) {
                    out.put(text(p.getLabels()), p.getValue());
                }
            }
        }
        return out;
    }

    private static String text(Labels l) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < l.size(); i++) {
            if (!l.getValue(i).isEmpty()) {
                sb.append(sb.length() == 0 ? "" : ",").append(l.getName(i)).append('=').append(l.getValue(i));
            }
        }
        return sb.toString();
    }

    private static Ledger ledger(int pidTop, int maxNames) {
        return new Ledger(new MetricsOptions(pidTop, maxNames, false), ContainerDirectory.idsOnly(), "1.2.3");
    }

    @Test
    void bytesOfAnExitedProcessStayInItsNamesSeries() {
        Ledger l = ledger(0, 100);
        // scraped after each fold: the series show their counts
        Exposition e = l.fold(snap(row(1, "web", 10, 100, false), row(2, "web", 5, 50, false)), 0, null);
        e = l.fold(snap(row(1, "web", 10, 100, false), row(2, "web", 5, 50, true)), e.view(), null);
        assertEquals(Map.of("comm=web", 300.0), series(e, TX));
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // pid 2 gone: the name's count goes on from where it was
            e = l.fold(snap(row(1, "web", 1, 10, false)), e.view(), null);
            seen.add(series(e, TX).get("comm=web"));
        }
        assertEquals(List.of(310.0, 320.0, 330.0), seen);
        assertEquals(Map.of("comm=web", 33.0), series(e, RX));
    }

    @Test
    void aNewSeriesShowsZeroUntilAScrapeHasReadIt() {
        Ledger l = ledger(0, 100);
        Exposition e = l.fold(snap(row(1, "curl", 0, 500, false)), 0, null);
        assertEquals(Map.of("comm=curl", 0.0), series(e, TX), "first exposed at 0: Prometheus counts no increase into a first sample");
        Exposition e2 = l.fold(snap(row(1, "curl", 0, 20, false)), 0, null);
        assertEquals(Map.of("comm=curl", 0.0), series(e2, TX), "still not scraped");
        Exposition e3 = l.fold(snap(row(1, "curl", 0, 1, false)), e2.view(), null);
        assertEquals(Map.of("comm=curl", 521.0), series(e3, TX), "every byte once scraped");
    }

    @Test
    void aNameThatNeverTalkedHasNoSeries() {
        Ledger l = ledger(0, 100);
        Exposition e = l.fold(snap(row(1, "sleep", 0, 0, false), row(2, "nc", 1, 0, false)), 0, null);
        assertEquals(Set.of("comm=nc"), series(e, TX).keySet());
    }

    @Test
    void namesPastTheLimitGoToOther() {
        Ledger l = ledger(0, 2);
        Exposition e = l.fold(snap(row(1, "a", 0, 1, false), row(2, "b", 0, 2, false), row(3, "c", 0, 4, false),
                row(4, "d", 0, 8, false)), 0, null);
        e = l.fold(snap(), e.view(), null);
        assertEquals(Map.of("comm=a", 1.0, "comm=b", 2.0, "comm=[other]", 12.0), series(e, TX));
    }

    @Test
    void pidTopGivesAtMostNSeriesAndKeepsAnExitedOneUntilScraped() {
        Ledger l = ledger(2, 100);
        Exposition e = l.fold(snap(row(1, "w", 0, 100, false), row(2, "w", 0, 300, false), row(3, "w", 0, 200, false),
                row(4, "w", 0, 1, false)), 0, null);
        e = l.fold(snap(row(1, "w", 0, 0, false), row(2, "w", 0, 0, false), row(3, "w", 0, 0, false),
                row(4, "w", 0, 0, false)), e.view(), null);
        // the two busiest have their series (their whole count); the rest is pid=other
        assertEquals(Map.of("comm=w,pid=2", 300.0, "comm=w,pid=3", 200.0, "comm=w,pid=other", 101.0), series(e, TX));
        // pid 3 exits with its last bytes: its series keeps them until a scrape has read them
        Exposition exit = l.fold(snap(row(1, "w", 0, 50, false), row(2, "w", 0, 0, false), row(3, "w", 0, 5, true),
                row(4, "w", 0, 0, false)), e.view(), null);
        assertEquals(Map.of("comm=w,pid=2", 300.0, "comm=w,pid=3", 205.0, "comm=w,pid=other", 151.0), series(exit, TX));
        // pid 1 is now busier than pid 2 (more than twice): pid 2 gives its slot up, but slots are free
        // only once a scrape has read the released series, so pid 1 waits in pid=other meanwhile
        Exposition notScraped = l.fold(snap(row(1, "w", 0, 50, false), row(2, "w", 0, 0, false),
                row(4, "w", 0, 0, false)), e.view(), null);
        assertEquals(Map.of("comm=w,pid=2", 300.0, "comm=w,pid=3", 205.0, "comm=w,pid=other", 201.0),
                series(notScraped, TX), "released series keep their last value until scraped");
        Exposition after = l.fold(snap(row(1, "w", 0, 50, false), row(2, "w", 0, 0, false),
                row(4, "w", 0, 0, false)), notScraped.view(), null);
        // scraped: the released series are gone, and pid 1 has a slot: its series shows its whole count
        assertEquals(Map.of("comm=w,pid=1", 250.0, "comm=w,pid=other", 201.0), series(after, TX));
        // pid 2 busy again: it gets the free slot back, its series never below what it showed
        Exposition back = l.fold(snap(row(1, "w", 0, 50, false), row(2, "w", 0, 70, false),
                row(4, "w", 0, 0, false)), after.view(), null);
        assertEquals(Map.of("comm=w,pid=1", 300.0, "comm=w,pid=2", 370.0, "comm=w,pid=other", 201.0), series(back, TX));
    }

    @Test
    void pidSeriesNeverExceedNWhileManyShortLivedProcessesComeAndGo() {
        Ledger l = ledger(3, 100);
        long scraped = 0;
        int most = 0;
        double other = 0;
        for (int i = 0; i < 200; i++) {
            List<ProcessRow> rows = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                long pid = 1000 + i * 8 + k;
                rows.add(row(pid, "burst", 0, 1000 + k, false));
            }
            rows.add(row(999_000 + i, "burst", 0, 10, true)); // and one exits each interval
            Exposition e = l.fold(snap(rows.toArray(ProcessRow[]::new)), scraped, null);
            if (i % 2 == 0) {
                scraped = e.view(); // scraped every other interval
            }
            long pids = series(e, TX).keySet().stream().filter(k -> !k.endsWith("pid=other")).count();
            most = Math.max(most, (int) pids);
            double o = series(e, TX).getOrDefault("comm=burst,pid=other", 0.0);
            assertTrue(o >= other, "pid=other never goes down");
            other = o;
        }
        assertEquals(3, most);
    }

    @Test
    void containersCarryTheirMetadataAndHostProcessesNone() {
        ContainerDirectory dir = id -> new ContainerMeta(id, "web-1", "nginx:1.25", "podman", "web-0", "shop", Map.of());
        Ledger l = new Ledger(new MetricsOptions(0, 100, false), dir, "v");
        Exposition e = l.fold(snap(row(1, "nginx", 10, 20, false, "abcdef012345"), row(2, "sshd", 1, 2, false)), 0, null);
        e = l.fold(snap(row(1, "nginx", 1, 1, false, "abcdef012345")), e.view(), null);
        assertEquals(Map.of("comm=nginx,container=abcdef012345,namespace=shop,pod=web-0", 21.0, "comm=sshd", 2.0),
                series(e, TX));
        assertEquals(Map.of("container=abcdef012345,container_name=web-1,image=nginx:1.25,namespace=shop,pod=web-0",
                11.0), series(e, "wiretop_container_network_receive_bytes"));
        assertTrue(series(e, "wiretop_process_network_wire_receive_bytes").isEmpty(), "no wire families without -W");
    }

    @Test
    void wireFamiliesWithWire() {
        Ledger l = new Ledger(new MetricsOptions(0, 100, true), ContainerDirectory.idsOnly(), "v");
        seq++;
        Snapshot s = new Snapshot(seq, 1, 1, Map.<String, List<? extends Row>>of(Snapshot.PROCESSES,
                List.of(row(1, "x", 1, 2, false))), Losses.NONE, "t", Set.of(Snapshot.NET, Snapshot.WIRE));
        Exposition e = l.fold(s, 0, null);
        e = l.fold(s, e.view(), null);
        assertEquals(Map.of("comm=x", 14.0), series(e, "wiretop_process_network_wire_receive_bytes"));
        assertEquals(Map.of("comm=x", 18.0), series(e, "wiretop_process_network_wire_transmit_bytes"));
    }

    /** The text the endpoint serves for an exposition. */
    private static String exposition(Exposition e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, e.metrics(), EscapingScheme.ALLOW_UTF8);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHostileNameIsShownAsSafeTextShowsItAndTheLibraryEscapesTheExposition() throws Exception {
        Ledger l = ledger(0, 100);
        String name = "a\nb\"c\\d\u001b";
        Exposition e = l.fold(snap(row(1, name, 0, 5, false)), 0, null);
        e = l.fold(snap(row(1, name, 0, 5, false)), e.view(), null);
        String text = exposition(e);
        // SafeText: a\nb"c\\d\x1b; the exposition then escapes \ and "
        assertTrue(text.contains("comm=\"a\\\\nb\\\"c\\\\\\\\d\\\\x1b\""), text);
        for (String line : text.split("\n")) {
            assertFalse(line.chars().anyMatch(c -> c < 0x20), "no control character in a line: " + line);
        }
    }

    @Test
    void lostEventsAndBuildInfo() throws Exception {
        Ledger l = ledger(0, 100);
        l.skipped(2);
        String text = exposition(l.fold(snap(), 0, Map.of("tcp established", 4L)));
        assertTrue(text.contains("wiretop_lost_events_total{source=\"ring_buffer\"} 3.0"), text);
        assertTrue(text.contains("wiretop_lost_events_total{source=\"exporter\"} 2.0"), text);
        assertTrue(text.contains("wiretop_build_info{version=\"1.2.3\"} 1"), text);
        assertTrue(text.contains("wiretop_connections{protocol=\"tcp\",state=\"established\"} 4.0"), text);
    }
}
