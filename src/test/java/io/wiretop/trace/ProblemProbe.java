// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import io.wiretop.trace.pcap.PcapNgFeed;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.nio.file.Path;

/** Opens a trace file as a reader would and prints the one line its problem gives ("ok" if none). */
public final class ProblemProbe {
    private ProblemProbe() {
    }

    static String problem(String kind, Path file) {
        try {
            if (kind.equals("scap")) {
                ScapReader.open(file).close();
            } else {
                PcapNgFeed.open(file, 0).close();
            }
            return "ok";
        } catch (IOException e) {
            return TraceFiles.problem(file, e);
        }
    }

    public static void main(String[] args) {
        System.out.println(problem(args[0], Path.of(args[1])));
    }
}
