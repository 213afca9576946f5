// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.view.ViewRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The real UI on the real terminal with synthetic data, for tmux checks and the idle-CPU benchmark:
 * {@code java -cp ... io.wiretop.ui.DemoMain [procs] [intervalMillis] [keymap] [logFile]}.
 * Process 4242 ("demo-busy") always has the highest NET.
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        int procs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long interval = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        String keymap = args.length > 2 ? args[2] : "default";
        Path log = args.length > 3 ? Path.of(args[3]) : null;
        FakeSource src = new FakeSource();
        Thread producer = new Thread(() -> {
            Random rnd = new Random(1);
            try {
                for (long seq = 1; ; seq++) {
                    Thread.sleep(seq == 1 ? 300 : interval);
                    src.publish(snapshot(seq, procs, interval / 1000.0, rnd));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-producer");
        producer.setDaemon(true);
        producer.start();
        int rc = TopUi.run(src, ViewRegistry.loadDefault(), new UiOptions(null, keymap, false, 0, null, log));
        System.exit(rc);
    }

    static Snapshot snapshot(long seq, int n, double secs, Random rnd) {
        List<Row> ps = new ArrayList<>();
        List<Row> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long pid = 1000 + i * 7L;
            long net = (long) (rnd.nextDouble() * 50_000 * secs);
            String cmd = "/usr/bin/worker-" + i + " --id " + i;
            if (i == 0) {
                pid = 4242;
                net = (long) (90_000_000 * secs);
                cmd = "demo-busy --send 90M";
            }
            ps.add(new ProcessRow(pid, 1, pid, cmd.split(" ")[0], cmd, i % 3 == 0 ? "root" : "alice", 0, 1 + i % 5,
                    200L << 20, (10L + i % 90) << 20, rnd.nextDouble() * 5, net / 3, net - net / 3, 0, 0, 100, null,
                    false));
            if (i % 10 == 0) {
                cs.add(new ConnectionRow(pid, pid, cmd.split(" ")[0], cmd, pid * 10, "tcp", "10.0.0.2", 40000 + i,
                        "192.0.2." + (i % 250), 443, false, net / 3, net - net / 3, 10, 10, null));
            }
        }
        Losses l = seq > 5 ? new Losses(seq - 5, 0, 0, 0) : Losses.NONE;
        return new Snapshot(seq, System.nanoTime(), secs,
                Map.of(Snapshot.PROCESSES, ps, Snapshot.CONNECTIONS, cs), l, "Live System");
    }
}
