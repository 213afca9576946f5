// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.KernelCheck;
import io.wiretop.capture.EngineOptions;
import io.wiretop.capture.LiveFeed;
import io.wiretop.engine.Engine;
import io.wiretop.export.ListenAddress;
import io.wiretop.export.MetricsExporter;
import io.wiretop.export.MetricsOptions;
import io.wiretop.model.Snapshot;
import io.wiretop.sys.StopSignals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code wiretop serve --listen ADDR:PORT}: headless, no terminal; the live engine (NET, and WIRE
 * with -W) feeds a Prometheus endpoint until SIGINT/SIGTERM/SIGHUP, which end it with exit 0 after
 * the engine has released every BPF attachment. The port is bound before anything is loaded into
 * the kernel: a port in use is one line and exit 1, with nothing attached.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve per-process and per-container network metrics to Prometheus (/metrics, /-/healthy), headless.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT", description = "Where to serve: "
            + "127.0.0.1:9435, [::1]:9435, or :9435 for every address (0: any free port, printed at start).")
    String listen;

    @Option(names = {"-d", "--delay"}, paramLabel = "MS", description = "Collection interval in milliseconds "
            + "(default: ${DEFAULT-VALUE}); a scrape returns the counts up to the last interval's end.")
    long delayMillis = 2000;

    @Option(names = {"-W", "--wire"}, description = "Also attach the packet hooks: the network_wire_* metrics "
            + "(bytes on the wire, IP headers included). Costs a BPF run per packet.")
    boolean wire;

    @Mixin
    MetricsFlags metrics = new MetricsFlags();

    /** How long a stop signal waits for the engine to release its programs before the process exits anyway. */
    private static final long STOP_GRACE_MILLIS = 10_000;

    @Override
    public Integer call() throws Exception {
        if (delayMillis < 100 || delayMillis > 3_600_000) {
            throw new UsageError("-d " + delayMillis + ": the refresh interval is 100 to 3600000 milliseconds");
        }
        ListenAddress at = MetricsFlags.listen("--listen", listen);
        MetricsOptions opts = metrics.options(wire);
        try {
            KernelCheck.requirePrivileges();
        } catch (BpfException e) {
            throw new UserError(e.getMessage());
        }
        try (MetricsExporter exporter = MetricsFlags.bind("--listen", at, opts)) {
            Engine engine;
            try {
                engine = Engine.start(LiveFeed.open(new EngineOptions(delayMillis, false, wire)));
            } catch (BpfException e) {
                throw new UserError(e.getMessage());
            }
            // a SIGKILL'd JVM loses its bpf links with its fds; a JVM ended any other way closes the engine
            Thread hook = new Thread(engine::close, "wiretop-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (engine; StopSignals signals = StopSignals.trap(() -> { }, STOP_GRACE_MILLIS)) {
                engine.want(Set.of(Snapshot.PROCESSES));
                exporter.follow(engine, delayMillis);
                MetricsFlags.announce(at, exporter);
                while (!signals.stopping()) {
                    if (engine.failure() != null) {
                        throw new UserError("capture stopped: " + Main.oneLine(engine.failure()));
                    }
                    Thread.sleep(100); // a stop signal is seen within 0.1 s
                }
            }
        }
        return 0;
    }
}
