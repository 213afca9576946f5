package io.wiretop.trace.replay;

import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapFixtures;
import io.wiretop.view.TableRow;
import io.wiretop.view.ViewTable;
import org.junit.jupiter.api.Test;

import java.util.List;

class ReplayDump {
    @Test
    void dump() throws Exception {
        for (String f : List.of("curl_google", "single_ipv6_conn", "test_ipv6_client")) {
            List<Snapshot> snaps = Replays.run(ScapFeed.open(ScapFixtures.path(f), 0));
            System.out.println("== " + f + " snapshots=" + snaps.size() + " " + snaps.get(0).sourceLabel());
            for (String v : List.of("procs", "connections")) {
                ViewTable t = Replays.table(v, snaps.get(snaps.size() - 1));
                System.out.println("-- " + v + ": " + t.rawHeader());
                for (TableRow r : t.rows()) {
                    System.out.println(t.rawLine(r));
                }
            }
        }
    }
}
