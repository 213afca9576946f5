// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.view.ActionDef;
import io.wiretop.view.Aggregation;
import io.wiretop.view.ColumnDef;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hand-built views and snapshots for the UI tests, so golden screens do not change when the shipped
 * view files are edited.
 */
final class Fixtures {
    private Fixtures() {
    }

    static ColumnDef col(String name, String field, int width, Aggregation agg, boolean key, boolean sort,
                         String format, String description) {
        return new ColumnDef(name, field, width, agg, Aggregation.NONE, description, key, false, sort, format);
    }

    static ViewDef procs() {
        return new ViewDef("procs", "Processes", "Processes and the network bandwidth they use.",
                List.of("Enter shows the connections of a process."), ViewType.TABLE, Snapshot.PROCESSES, null,
                List.of("", "proc.pid"), "connections", true,
                List.of(col("PID", "proc.pid", 7, Aggregation.NONE, true, false, null, "Process PID."),
                        col("PPID", "proc.ppid", 7, Aggregation.NONE, false, false, null, "Parent PID."),
                        col("CPU", "thread.cpu", 8, Aggregation.AVG, false, false, null, "CPU used."),
                        col("USER", "user.name", 12, Aggregation.NONE, false, false, null, "User name."),
                        col("TH", "proc.nthreads", 5, Aggregation.MAX, false, false, null, "Threads."),
                        col("RES", "thread.vmrss.b", 9, Aggregation.MAX, false, false, null, "Resident memory."),
                        col("NET", "evt.buflen.net", 8, Aggregation.TIME_AVG, false, true, null, "Network bytes/s."),
                        col("Command", "proc.exeline", 0, Aggregation.MAX, false, false, null, "Command line.")),
                List.of(new ActionDef("k", "kill %proc.pid", "kill", true, false),
                        new ActionDef("f", "lsof -p %proc.pid", "one-time lsof", false, true)),
                "NET", false);
    }

    static ViewDef connections() {
        return new ViewDef("connections", "Connections", "TCP and UDP sockets of processes.", List.of(),
                ViewType.TABLE, Snapshot.CONNECTIONS, null, List.of("", "proc.pid"), null, false,
                List.of(col("NA", "fd.name", 0, Aggregation.NONE, true, false, null, null),
                        col("L4PROTO", "fd.l4proto", 8, Aggregation.NONE, false, false, null, "Protocol."),
                        col("LIP", "fd.lip", 16, Aggregation.NONE, false, false, null, "Local IP."),
                        col("LPORT", "fd.lport", 7, Aggregation.NONE, false, false, null, "Local port."),
                        col("RIP", "fd.rip", 16, Aggregation.NONE, false, false, null, "Remote IP."),
                        col("RPORT", "fd.rport", 7, Aggregation.NONE, false, false, null, "Remote port."),
                        col("BPS IN", "evt.buflen.net.in", 9, Aggregation.TIME_AVG, false, true, null, "In."),
                        col("BPS OUT", "evt.buflen.net.out", 9, Aggregation.TIME_AVG, false, false, null, "Out."),
                        col("Command", "proc.exeline", 0, Aggregation.MAX, false, false, null, "Command line.")),
                List.of(new ActionDef("P", "ping %fd.rip", "ping", false, false)), "BPS IN", false);
    }

    static List<ViewDef> views() {
        return List.of(procs(), connections());
    }

    static ProcessRow proc(long pid, String user, long net, String cmd) {
        return new ProcessRow(pid, 1, 1000 + pid, cmd.split(" ")[0], cmd, user, 0, 1 + pid % 4,
                100L << 20, (pid % 50 + 1) << 20, (pid % 7) * 1.5, net / 2, net - net / 2, 0, 0, 10, null, false);
    }

    static ConnectionRow conn(long pid, String cmd, int lport, String rip, int rport, long in, long out) {
        return new ConnectionRow(pid, 1000 + pid, cmd.split(" ")[0], cmd, pid * 100 + lport, "tcp", "10.0.0.2",
                lport, rip, rport, false, in, out, 1, 1, null);
    }

    /** 12 processes with distinct NET rates, and connections of three of them. */
    static Snapshot snapshot(long seq) {
        return snapshot(seq, Losses.NONE, 0);
    }

    static Snapshot snapshot(long seq, Losses losses, long boostPid) {
        String[][] p = {
            {"1", "root", "0", "/sbin/init"}, {"412", "root", "1200", "/usr/sbin/sshd -D"},
            {"733", "www-data", "880000", "nginx: worker process"}, {"734", "www-data", "440000", "nginx: worker process"},
            {"1021", "postgres", "52000", "postgres: writer"}, {"1500", "alice", "9000", "curl -s http://example.com/"},
            {"1644", "bob", "0", "vim notes.txt"}, {"2001", "root", "300", "/usr/lib/systemd/systemd-resolved"},
            {"2210", "alice", "2048000", "iperf3 -c 10.0.0.9"}, {"2999", "root", "64", "chronyd -F 1"},
            {"3100", "bob", "12", "bash"}, {"3101", "bob", "7000", "python3 fetch.py --all"}};
        List<Row> procs = new ArrayList<>();
        for (String[] r : p) {
            long pid = Long.parseLong(r[0]);
            long net = Long.parseLong(r[2]) * 2 + (pid == boostPid ? 100_000_000L : 0);
            procs.add(proc(pid, r[1], net, r[3]));
        }
        List<Row> conns = List.of(
                conn(733, "nginx: worker process", 443, "192.0.2.10", 51000, 800000, 960000),
                conn(733, "nginx: worker process", 443, "192.0.2.11", 51002, 1000, 4000),
                conn(2210, "iperf3 -c 10.0.0.9", 40000, "10.0.0.9", 5201, 96000, 4000000),
                conn(1500, "curl -s http://example.com/", 41234, "93.184.216.34", 80, 17000, 1000));
        return new Snapshot(seq, seq * 2_000_000_000L, 2.0,
                Map.of(Snapshot.PROCESSES, procs, Snapshot.CONNECTIONS, conns), losses, "Live System");
    }
}
