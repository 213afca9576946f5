// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Replay-speed measurement, not a test: {@code java -cp target/classes:target/test-classes
 * io.wiretop.trace.scap.ScapReadBench FILE [rounds]} reads FILE a few times and prints events/s,
 * once touching headers only and once decoding the first two parameters of every event (what a
 * process/connection table needs). Compare with {@code time sysdig -r FILE proc.pid=0}.
 */
public final class ScapReadBench {
    private ScapReadBench() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 0; round < rounds; round++) {
            for (boolean decode : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                long n = 0;
                long sink = 0;
                try (ScapReader r = ScapReader.open(file)) {
                    for (ScapEvent e; (e = r.next()) != null; n++) {
                        sink += e.tid();
                        if (decode) {
                            sink += e.asLong(0, 0) + e.asLong(1, 0);
                        }
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s %s: %d events in %.2f s = %.2f M events/s (%d)%n", file.getFileName(),
                        decode ? "decoding 2 params" : "headers only", n, s, n / s / 1e6, sink & 1);
            }
        }
    }
}
