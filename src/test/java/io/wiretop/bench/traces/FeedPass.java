// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bench.traces;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Interval;
import io.wiretop.model.KernelSample;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.replay.ScapFeed;

import java.nio.file.Path;
import java.util.Set;

/**
 * The replay benchmark's stand-in for {@code wiretop -r FILE --raw} while that command is not on
 * this branch: {@link ScapFeed} over the whole file (start, then intervals until the end, threads
 * asked for), without the aggregator. It prints the label, sums of the last sample and a digest of
 * every interval (samples, process events, scans, closed cookies), so the work cannot be optimised
 * away and a change that alters any result shows.
 *
 * <p>Usage: {@code FeedPass [--interval-ms N] FILE} (default 1000 ms; 0 = the whole file in one interval).
 */
public final class FeedPass {
    private FeedPass() {
    }

    public static void main(String[] args) throws Exception {
        long intervalMs = 1000;
        int i = 0;
        if (args.length == 3 && args[0].equals("--interval-ms")) {
            intervalMs = Long.parseLong(args[1]);
            i = 2;
        }
        if (args.length != i + 1) {
            System.err.println("usage: FeedPass [--interval-ms N] FILE");
            System.exit(2);
        }
        Demand all = new Demand(Set.of(Snapshot.THREADS), PacketSelection.NONE);
        long intervals = 0, net = 0, file = 0, sys = 0, digest = 0;
        try (ScapFeed feed = ScapFeed.open(Path.of(args[i]), intervalMs * 1_000_000L)) {
            feed.start();
            for (Interval iv; (iv = feed.next(all)) != null; ) {
                intervals++;
                KernelSample s = iv.sample();
                net = 0;
                file = 0;
                sys = 0;
                // an order-independent digest of every interval's whole output: a change of results shows
                long d = iv.endNanos() * 31 + iv.events().hashCode() + 7L * iv.closedCookies().stream()
                        .mapToLong(Long::longValue).sum() + iv.scan().hashCode();
                for (KernelSample.Conn c : s.conns()) {
                    net += c.bytesIn() + c.bytesOut();
                    d += java.util.Objects.hash(c.id(), c.cookie(), c.family(), c.proto(), c.passive(),
                            java.util.Arrays.hashCode(c.laddr()), c.lport(), java.util.Arrays.hashCode(c.raddr()),
                            c.rport(), c.bytesIn(), c.bytesOut(), c.opsIn(), c.opsOut());
                }
                for (KernelSample.FileIo f : s.files()) {
                    file += f.bytesIn() + f.bytesOut();
                    d += f.hashCode();
                }
                for (KernelSample.Sys c : s.syscalls()) {
                    sys += c.calls();
                    d += c.hashCode();
                }
                digest = digest * 1_000_003 + d;
            }
            System.out.println(feed.label() + ": " + intervals + " intervals, last sample NET " + net + " B, FILE "
                    + file + " B, syscalls " + sys + ", digest " + Long.toHexString(digest));
        }
    }
}
