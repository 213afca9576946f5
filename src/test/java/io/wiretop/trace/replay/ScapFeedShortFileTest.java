// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;
import io.wiretop.view.ColumnDef;
import io.wiretop.view.TableRow;
import io.wiretop.view.ViewTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A capture shorter than a second (a recording of a quick command is one): csysdig shows its
 * totals undivided (it divides by the file's duration only when that is over a second), so the
 * whole-file interval lasts a second; intervals asked for with -d still cover the file only.
 */
class ScapFeedShortFileTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int READ_E = 6, READ_X = 7, WRITE_E = 8, WRITE_X = 9;

    @TempDir
    Path dir;

    /** Process 100 writes 1000 bytes on its TCP socket at 0 and reads 500 at 250 ms. */
    private Path capture() throws Exception {
        Path f = dir.resolve("short.scap");
        byte[] local = InetAddress.getByName("10.0.0.1").getAddress(), peer = InetAddress.getByName("10.0.0.2").getAddress();
        ScapHead.Thread app = new ScapHead.Thread(100, 100, 1, 100, 100, "app", "/usr/bin/app", "/usr/bin/app",
                "".getBytes(StandardCharsets.UTF_8), "/", 1024, 0, 0, 0, 20480, 4096, 0, 0, 0,
                new byte[0], 100, 100, new byte[0], "/", -1, 0, 0);
        ScapHead head = new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0), List.of(),
                List.of(new ScapHead.User(0, 0, "root", "/root", "/bin/sh")), List.of(), List.of(app),
                Map.of(100L, List.of(ScapHead.Fd.inet(3, 11, local, 5000, peer, 80, ScapHead.Fd.L4_TCP))));
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head);
            w.event().begin(T0, 100, 0, WRITE_E, 2).i64(3).u32(1000).end();
            w.event().begin(T0 + 1, 100, 0, WRITE_X, 2).i64(1000).bytes(new byte[16], 0, 16).end();
            w.event().begin(T0 + 250 * MS - 1, 100, 0, READ_E, 2).i64(3).u32(4096).end();
            w.event().begin(T0 + 250 * MS, 100, 0, READ_X, 2).i64(500).bytes(new byte[16], 0, 16).end();
        }
        return f;
    }

    @Test
    void theWholeFileIsOneSecondSoTheRatesAreItsTotals() throws Exception {
        ScapFeed feed = ScapFeed.open(capture(), 0);
        List<Snapshot> snaps = Replays.run(feed);
        assertEquals("short.scap (4 evts, 0.25s)", feed.label(), "the header still says how long the file is");
        assertEquals(1, snaps.size());
        Snapshot s = snaps.get(0);
        assertEquals(1.0, s.intervalSeconds(), 1e-9);
        ProcessRow app = s.processes().stream().filter(p -> p.pid() == 100).findFirst().orElseThrow();
        assertEquals(List.of(500L, 1000L), List.of(app.netIn(), app.netOut()));
        // as csysdig -r short.scap --raw -v procs shows it: 1500 bytes, not 1500 / 0.25 s
        ViewTable t = Replays.table("procs", s);
        List<String> cols = t.view().visibleColumns().stream().map(ColumnDef::name).toList();
        TableRow row = t.rows().stream().filter(r -> r.cells().get(cols.indexOf("PID")).strip().equals("100")).findFirst()
                .orElseThrow();
        assertEquals("1.46K", row.cells().get(cols.indexOf("NET")).strip());
    }

    @Test
    void intervalsAskedForStillEndAtTheLastEvent() throws Exception {
        List<Snapshot> snaps = Replays.run(ScapFeed.open(capture(), 100 * MS));
        assertEquals(3, snaps.size());
        assertEquals(0.25, snaps.stream().mapToDouble(Snapshot::intervalSeconds).sum(), 1e-9);
    }
}
