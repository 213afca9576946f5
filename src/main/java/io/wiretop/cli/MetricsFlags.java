// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.export.ListenAddress;
import io.wiretop.export.MetricsExporter;
import io.wiretop.export.MetricsOptions;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.sys.OsError;
import io.wiretop.text.SafeText;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * The options that bound the metrics' cardinality, shared by {@code wiretop serve} and
 * {@code wiretop --metrics-listen}; and the checks and the binding both do the same way.
 */
final class MetricsFlags {
    /** The most pid series --metrics-pid-top allows (each is two to four series). */
    static final int MAX_PID_TOP = 1000;
    static final int MAX_NAMES = 100_000;

    @Option(names = "--metrics-pid-top", paramLabel = "N", description = "Give the N busiest processes a series "
            + "of their own (label pid); the others are summed in pid=\"other\" of their name (default: 0, no pid label; "
            + "at most " + MAX_PID_TOP + ").")
    int pidTop = 0;

    @Option(names = "--metrics-max-names", paramLabel = "N", description = "At most N (process name, container) "
            + "series per metric; the bytes of further names go to comm=\"[other]\" (default: ${DEFAULT-VALUE}).")
    int maxNames = MetricsOptions.DEFAULT_MAX_NAMES;

    /** Checks the values from the command line alone (exit 2). */
    MetricsOptions options(boolean wire) {
        if (pidTop < 0 || pidTop > MAX_PID_TOP) {
            throw new UsageError("--metrics-pid-top " + pidTop + ": the number of pid series is 0 to " + MAX_PID_TOP);
        }
        if (maxNames < 1 || maxNames > MAX_NAMES) {
            throw new UsageError("--metrics-max-names " + maxNames + ": the number of names is 1 to " + MAX_NAMES);
        }
        return new MetricsOptions(pidTop, maxNames, wire);
    }

    /** Parses ADDR:PORT (exit 2 when malformed). */
    static ListenAddress listen(String option, String value) {
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageError(option + " " + SafeText.escape(value) + ": " + e.getMessage());
        }
    }

    /** Binds the port (exit 1 when it cannot be: in use, not an address of this machine). */
    static MetricsExporter bind(String option, ListenAddress at, MetricsOptions opts) {
        try {
            return MetricsExporter.bind(at, opts, ContainerDirectory.idsOnly());
        } catch (IOException e) {
            throw new UserError(option + " " + SafeText.escape(at.text()) + ": " + OsError.reason(e));
        }
    }

    /** The line said at start: where to scrape (with the port the system chose for port 0). */
    static void announce(ListenAddress at, MetricsExporter e) {
        System.err.println("wiretop: metrics on http://" + at.urlHost() + ":" + e.port() + "/metrics (health: /-/healthy)");
    }
}
