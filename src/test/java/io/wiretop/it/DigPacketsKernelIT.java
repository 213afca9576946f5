// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.capture.EngineOptions;
import io.wiretop.capture.LiveFeed;
import io.wiretop.engine.Demand;
import io.wiretop.engine.Engine;
import io.wiretop.engine.Pacing;
import io.wiretop.events.EventSelection;
import io.wiretop.events.SyscallStream;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.window.LiveWindowSource;
import io.wiretop.window.PacketLine;
import io.wiretop.window.Timeline;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dig on a live connection: a process makes a known loopback TCP exchange (bind to a port chosen
 * here, connect, write, read, close); the Dig window's syscall source (the stream for its pid,
 * narrowed to the connection) and the engine's packets (the packet hooks, attached on demand by a
 * packet selection of that process, as the UI's window demands them) go through the window's own
 * {@link PacketLine} and {@link Timeline}, and the result holds SYN, data and FIN among
 * connect, write and close where the kernel's clock puts them: the SYN inside connect, the data
 * inside write, the FIN inside close. That needs both sources on one clock, to the microsecond.
 */
class DigPacketsKernelIT {
    private static final String PY = "import os, socket, sys\n"
            + "sys.stdin.readline()\n"
            + "s = socket.socket()\n"
            + "s.bind(('127.0.0.1', int(sys.argv[1])))\n"
            + "s.connect(('127.0.0.1', int(sys.argv[2])))\n"
            + "os.write(s.fileno(), b'ping-bytes')\n"
            + "os.read(s.fileno(), 100)\n"
            + "s.close()\n";

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void digOnAConnectionShowsItsSyscallsAndPacketsOnOneTimeline() throws Exception {
        KernelHarness.requireRoot();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int sport = server.getLocalPort(), cport = freePort();
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    String got = new String(in.readNBytes(10), StandardCharsets.US_ASCII);
                    out.write("pong".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.read(); // until the client closes
                    return got;
                } catch (Exception e) {
                    return "";
                }
            });
            Process py = new ProcessBuilder("python3", "-c", PY, Integer.toString(cport), Integer.toString(sport))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long pid = py.pid();
            String tuple = "127.0.0.1:" + cport + "->127.0.0.1:" + sport;
            WindowSelection sel = WindowSelection.connection(pid, tuple, 0, "proc.pid=" + pid + " and fd.name=" + tuple);
            // default mode: neither the syscall program nor the packet hooks forced on
            Engine engine = Engine.start(LiveFeed.open(new EngineOptions(500, false, false)), Pacing.FEED,
                    new Demand(Set.of(), new PacketSelection(false, Set.of(pid), Set.of())));
            List<WindowEvent> timeline = new ArrayList<>();
            try {
                long until = System.currentTimeMillis() + 120_000;
                long seq = 0;
                while (true) { // the packet hooks attach on demand: wait until they collect
                    Snapshot s = engine.awaitAfter(seq, 500);
                    if (s != null) {
                        seq = s.seq();
                        if (s.sourceLabel().contains("WIRE since")) {
                            break;
                        }
                    }
                    assertTrue(System.currentTimeMillis() < until, "the packet hooks attach: " + engine.label());
                }
                LiveWindowSource window = LiveWindowSource.start(sel, () -> SyscallStream.open(EventSelection.processes(
                        Set.of((int) pid), EventSelection.DEFAULT_SNAP)), () -> HostSnapshot.system().take(), ZoneOffset.UTC);
                PacketLine packets = new PacketLine(sel, ZoneOffset.UTC);
                try {
                    try (OutputStream go = py.getOutputStream()) {
                        go.write("go\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    assertTrue(py.waitFor(20, TimeUnit.SECONDS) && py.exitValue() == 0, "the exchange ran");
                    assertEquals("ping-bytes", served.get(10, TimeUnit.SECONDS));
                    until = System.currentTimeMillis() + 20_000;
                    while (System.currentTimeMillis() < until && !(has(timeline, l -> l.contains("< close"))
                            && has(timeline, l -> l.contains(" pkt ") && l.contains("F")))) {
                        window.drain().forEach(b -> Timeline.insert(timeline, b));
                        Snapshot s = engine.awaitAfter(seq, 200);
                        if (s != null) {
                            seq = s.seq();
                            List<PacketRow> rows = new ArrayList<>();
                            for (Row r : s.rows(Snapshot.PACKETS)) {
                                rows.add((PacketRow) r);
                            }
                            Timeline.insert(timeline, packets.take(rows));
                        }
                    }
                } finally {
                    window.close();
                }
            } finally {
                engine.close();
            }
            List<String> lines = timeline.stream().map(WindowEvent::line).toList();
            String all = String.join("\n", lines);
            java.nio.file.Files.writeString(KernelHarness.workDir().resolve("dig-packets.txt"), all + "\n");
            // the connect enter is not the connection's yet (its fd has no name until connect names it)
            int syn = at(lines, l -> l.contains("out pkt") && l.contains("flags=[S]")),
                    connectX = at(lines, l -> l.contains("< connect"));
            assertTrue(syn >= 0 && syn < connectX, "the SYN before connect returns:\n" + all);
            int write = at(lines, l -> l.contains("> write")), data = at(lines, l -> l.contains("out pkt") && l.contains("length 10")),
                    writeX = at(lines, l -> l.contains("< write"));
            assertTrue(write > connectX && write < data && data < writeX, "the data inside write:\n" + all);
            int read = at(lines, l -> l.contains("< read")), reply = at(lines, l -> l.contains("in pkt") && l.contains("length 4"));
            assertTrue(reply > writeX && reply < read, "the reply before read returns it:\n" + all);
            int close = at(lines, l -> l.contains("> close")), fin = at(lines, l -> l.contains("out pkt") && l.contains("F")),
                    closeX = at(lines, l -> l.contains("< close"));
            assertTrue(close > read && close < fin && fin < closeX, "the FIN inside close:\n" + all);
            for (int i = 1; i < timeline.size(); i++) {
                if (timeline.get(i).isPacket()) {
                    assertTrue(timeline.get(i - 1).timeNanos() <= timeline.get(i).timeNanos(), "in time order:\n" + all);
                }
            }
        }
    }

    private static boolean has(List<WindowEvent> events, Predicate<String> p) {
        return events.stream().anyMatch(w -> p.test(w.line()));
    }

    private static int at(List<String> lines, Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
