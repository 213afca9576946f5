// SPDX-License-Identifier: Apache-2.0
package io.wiretop.sys;

import java.util.Map;

/**
 * Turns SIGINT, SIGTERM and SIGHUP into a request to stop, for the loops of the headless modes
 * (capture, --raw, --json): the loop sees {@link #stopping()}, finishes what it is writing, closes
 * its files and BPF programs and prints its summary, and the process exits 0 as tcpdump does. The
 * JVM's own handling (shutdown hooks run while the main thread is still writing) would cut a line
 * or a pcapng block in half and skip the summary.
 *
 * <p>A loop that does not stop within the grace period (stuck in the kernel, a blocked write) is
 * ended by {@code System.exit(128 + signal)}: shutdown hooks still release what they hold. Repeated
 * signals are harmless (the launcher forwards a SIGINT that a Ctrl-C also delivers directly).
 *
 * <p>Signals are trapped by {@link SignalTrap}. A signal the process inherited as ignored stays ignored (HotSpot refuses to
 * handle it): the launcher resets SIGINT to its default for that reason.
 */
public final class StopSignals implements AutoCloseable {
    private static final Map<String, Integer> NUMBERS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

    private final Runnable onStop;
    private final long graceMillis;
    private SignalTrap trap;
    private volatile String signal;
    private volatile boolean closed;

    private StopSignals(Runnable onStop, long graceMillis) {
        this.onStop = onStop;
        this.graceMillis = graceMillis;
    }

    /**
     * Traps the stop signals until {@link #close()}. onStop runs on the signal's thread at the first
     * one (to wake the loop); it must be quick and must not throw.
     */
    public static StopSignals trap(Runnable onStop, long graceMillis) {
        StopSignals s = new StopSignals(onStop, graceMillis);
        s.trap = SignalTrap.install(s::received, NUMBERS.keySet().toArray(String[]::new));
        return s;
    }

    /** The name (INT, TERM, HUP) of the first stop signal received, or null. */
    public String signal() {
        return signal;
    }

    /** Whether a stop signal arrived. */
    public boolean stopping() {
        return signal != null;
    }

    private synchronized void received(String name) {
        if (signal != null || closed) {
            return;
        }
        signal = name;
        onStop.run();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                System.err.println("wiretop: still running " + graceMillis / 1000 + " s after SIG" + name + "; exiting");
                System.exit(128 + NUMBERS.getOrDefault(name, 15));
            }
        }, "wiretop-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Puts back the JVM's handling of these signals: called once the loop has stopped. */
    @Override
    public synchronized void close() {
        closed = true;
        trap.release();
    }
}
