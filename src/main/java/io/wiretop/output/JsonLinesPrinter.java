// SPDX-License-Identifier: Apache-2.0
package io.wiretop.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.view.Filter;
import io.wiretop.view.SourceRows;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints one JSON object per line per interval: the rows of the Processes or Connections view with
 * the raw counts of that interval under fixed keys (documented in the README), plus rates.
 * Used by scripts and by the kernel tests, which sum the counts over intervals.
 */
public final class JsonLinesPrinter {
    private final JsonGenerator json;
    private final OutputStream out;
    private final String view;
    private final io.wiretop.view.ViewDef table; // containers, pods: printed by their columns

    public JsonLinesPrinter(OutputStream out, String view) throws IOException {
        this(out, view, null);
    }

    /** A printer of {@code view}; {@code def} is its definition (the containers and pods views print its columns). */
    public JsonLinesPrinter(OutputStream out, String view, io.wiretop.view.ViewDef def) throws IOException {
        this.out = out;
        this.view = view;
        this.table = def;
        this.json = new JsonFactory().createGenerator(out);
        this.json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        this.json.setRootValueSeparator(null); // Jackson's default " " started every line after the first with a space
        this.json.setCharacterEscapes(new JsonEscapes()); // comm, cmdline, container: no raw controls
    }

    /** Whether this printer knows the view (JSON is defined for procs, connections, containers and pods). */
    public static boolean supports(String view) {
        return view.equals("procs") || view.equals("connections") || BY_COLUMNS.contains(view);
    }

    /** Views printed as their table: one object per row, each visible column by name (rates as on screen, unrounded). */
    private static final java.util.Set<String> BY_COLUMNS = java.util.Set.of("containers", "pods");

    /** Prints one interval: the rows {@code filter} selects (see {@link SourceRows} for connection fields). */
    public void print(Snapshot s, Filter filter) throws IOException {
        json.writeStartObject();
        json.writeNumberField("seq", s.seq());
        json.writeStringField("view", view);
        json.writeNumberField("interval_s", Math.round(s.intervalSeconds() * 1e6) / 1e6);
        // end of the interval on CLOCK_MONOTONIC (what clock_gettime and Java's nanoTime read): lines
        // intervals up with other tools' timestamps
        json.writeNumberField("mono_ns", s.monoNanos());
        json.writeStringField("source", s.sourceLabel());
        json.writeObjectFieldStart("lost");
        json.writeNumberField("ringbuf_full", s.losses().ringBufferFull());
        json.writeNumberField("conn_map_full", s.losses().connMapFull());
        json.writeNumberField("sys_map_full", s.losses().sysMapFull());
        json.writeNumberField("file_map_full", s.losses().fileMapFull());
        json.writeEndObject();
        json.writeArrayFieldStart("rows");
        double secs = s.intervalSeconds() > 0 ? s.intervalSeconds() : 1;
        if (BY_COLUMNS.contains(view) && table != null) {
            io.wiretop.view.ViewTable t = io.wiretop.view.ViewTable.build(table, s, filter);
            for (io.wiretop.view.TableRow r : t.rows()) {
                json.writeStartObject();
                for (io.wiretop.view.ColumnDef c : table.columns()) {
                    if (!"NA".equals(c.name())) {
                        json.writeFieldName(c.name());
                        Object v = r.value(c.field());
                        if (v instanceof Long l) {
                            json.writeNumber(l);
                        } else if (v instanceof Number n) {
                            json.writeNumber(n.doubleValue());
                        } else if (v == null) {
                            json.writeNull();
                        } else {
                            json.writeString(v.toString());
                        }
                    }
                }
                json.writeEndObject();
            }
        } else if (view.equals("procs")) {
            List<ProcessRow> rows = new ArrayList<>();
            SourceRows.matching(s, Snapshot.PROCESSES, filter).forEach(r -> rows.add((ProcessRow) r));
            rows.sort(Comparator.comparingLong((ProcessRow r) -> r.netIn() + r.netOut()).reversed()
                    .thenComparingLong(ProcessRow::pid));
            for (ProcessRow r : rows) {
                process(r, secs);
            }
        } else {
            List<ConnectionRow> rows = new ArrayList<>();
            SourceRows.matching(s, Snapshot.CONNECTIONS, filter).forEach(r -> rows.add((ConnectionRow) r));
            rows.sort(Comparator.comparingLong((ConnectionRow r) -> r.bytesIn()).reversed()
                    .thenComparingLong(ConnectionRow::pid));
            for (ConnectionRow r : rows) {
                connection(r, secs);
            }
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }

    private void process(ProcessRow r, double secs) throws IOException {
        json.writeStartObject();
        json.writeNumberField("pid", r.pid());
        json.writeNumberField("ppid", r.ppid());
        json.writeStringField("comm", r.comm());
        json.writeStringField("cmdline", r.cmdline());
        json.writeStringField("user", r.user());
        optional("net_bytes_in", r.netIn());
        optional("net_bytes_out", r.netOut());
        optional("file_bytes_in", r.fileIn());
        optional("file_bytes_out", r.fileOut());
        optional("syscalls", r.syscalls());
        optional("wire_bytes_in", r.wireIn());
        optional("wire_bytes_out", r.wireOut());
        if (r.netIn() >= 0) { // a packet file has no NET counts
            json.writeNumberField("net_bps", (r.netIn() + r.netOut()) / secs);
        } else {
            json.writeNullField("net_bps");
        }
        if (r.fileIn() >= 0) {
            json.writeNumberField("file_bps", (r.fileIn() + r.fileOut()) / secs);
        } else {
            json.writeNullField("file_bps");
        }
        if (r.cpuPercent() >= 0) {
            json.writeNumberField("cpu", Math.round(r.cpuPercent() * 100) / 100.0);
        } else {
            json.writeNullField("cpu");
        }
        json.writeNumberField("threads", r.threads());
        json.writeNumberField("virt_bytes", r.virtBytes());
        json.writeNumberField("res_bytes", r.resBytes());
        json.writeStringField("container", r.containerId());
        container(r);
        json.writeNumberField("start_ticks", r.startTicks());
        json.writeBooleanField("exited", r.exited());
        json.writeEndObject();
    }

    /** What the runtime said of the row's container (null when nothing: host, no runtime, not yet). */
    private void container(io.wiretop.model.Row r) throws IOException {
        for (String[] f : CONTAINER_KEYS) {
            Object v = r.get(f[1]);
            if (v == null) {
                json.writeNullField(f[0]);
            } else {
                json.writeStringField(f[0], v.toString());
            }
        }
    }

    private static final String[][] CONTAINER_KEYS = {{"container_name", "container.name"},
        {"container_image", "container.image"}, {"container_type", "container.type"}, {"pod", "k8s.pod.name"},
        {"namespace", "k8s.ns.name"}};

    /** A count whose collector may be off (-1): null then, so it cannot be mistaken for zero. */
    private void optional(String key, long value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(key, value);
        } else {
            json.writeNullField(key);
        }
    }

    private void connection(ConnectionRow r, double secs) throws IOException {
        json.writeStartObject();
        json.writeNumberField("pid", r.pid());
        json.writeStringField("comm", r.comm());
        json.writeStringField("cmdline", r.cmdline());
        json.writeStringField("proto", r.proto());
        json.writeStringField("lip", r.lip());
        json.writeNumberField("lport", r.lport());
        json.writeStringField("rip", r.rip());
        json.writeNumberField("rport", r.rport());
        optional("bytes_in", r.bytesIn());
        optional("bytes_out", r.bytesOut());
        optional("wire_bytes_in", r.wireIn());
        optional("wire_bytes_out", r.wireOut());
        optional("ops_in", r.opsIn());
        optional("ops_out", r.opsOut());
        if (r.bytesIn() >= 0) {
            json.writeNumberField("bps_in", r.bytesIn() / secs);
            json.writeNumberField("bps_out", r.bytesOut() / secs);
        } else {
            json.writeNullField("bps_in");
            json.writeNullField("bps_out");
        }
        json.writeStringField("container", r.containerId());
        container(r);
        json.writeBooleanField("server", r.server());
        json.writeStringField("cookie", Long.toUnsignedString(r.cookie()));
        json.writeEndObject();
    }
}
