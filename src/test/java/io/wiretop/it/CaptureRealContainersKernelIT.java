// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture --container-name / --container-id / --pod} with real podman containers
 * ({@link Runtimes}, a private podman and its API service): a pod on its own loopback with an httpd
 * server (which forks a worker per connection, so the handshake and the request arrive before any
 * process owns the connection) and a client container, and a neighbour container with its own httpd
 * on the same address and port. The capture must hold the server's whole connections from the SYN,
 * nothing of the neighbour, its packets on "lo@&lt;container&gt;", and the container's name, image and
 * pod in the pcapng comments (read back by tshark). Names come from wiretop's own runtime client,
 * which finds the podman service through CONTAINER_HOST as a user's shell would name it.
 */
class CaptureRealContainersKernelIT {
    private static final int CLIENT_REQUESTS = 3, NEIGHBOUR_REQUESTS = 5;
    private static Runtimes rt;
    private static Runtimes.Podman podman;
    private static String pod, server, serverId, client, neighbour;

    @BeforeAll
    static void containers() throws Exception {
        KernelHarness.requireRoot();
        rt = Runtimes.open("ctrcap");
        podman = rt.podman();
        podman.service();
        podman.pod("pod");
        pod = rt.tag() + "-pod";
        Runtimes.Container srv = podman.run("srv", List.of("--pod", pod), "sh", "-c", Runtimes.httpd(8080));
        server = srv.name();
        serverId = srv.id();
        client = podman.run("cli", List.of("--pod", pod), "sleep", "100000").name();
        neighbour = podman.run("nb", List.of("--network", "none"), "sh", "-c", Runtimes.httpd(8080)).name();
        podman.awaitHttp(server, 8080); // listening before the test's traffic
        podman.awaitHttp(neighbour, 8080);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void containerNameCapturesTheServersWholeConnectionsFromTheSyn() throws Exception {
        List<String[]> pkts = capture("name", "--container-name", server);
        assertServerOnly(pkts);
    }

    @Test
    void containerIdCapturesTheSameAsTheName() throws Exception {
        List<String[]> pkts = capture("id", "--container-id", serverId.substring(0, 12));
        assertServerOnly(pkts);
    }

    @Test
    void podCapturesBothContainersOfThePodAndNotTheNeighbour() throws Exception {
        List<String[]> pkts = capture("pod", "--pod", pod);
        // on the pod's loopback each packet is seen leaving the client's socket and reaching the server's
        assertEquals(2 * CLIENT_REQUESTS, count(pkts, SYN), dump(pkts));
        assertEquals(2 * CLIENT_REQUESTS, count(pkts, SYN_ACK), dump(pkts));
        assertEquals(new TreeSet<>(List.of("lo@" + server, "lo@" + client)), column(pkts, IFACE), dump(pkts));
        assertFalse(dump(pkts).contains("from=neighbour"), dump(pkts));
        assertTrue(dump(pkts).contains("ContainerName: " + client), dump(pkts));
    }

    @Test
    void aNameNoContainerHasIsOneLineAndExitOne() throws Exception {
        Process p = rt.wiretop("capture", "--container-name", rt.tag() + "-none").start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("wiretop: --container-name " + rt.tag() + "-none: no running container has this name\n",
                err);
    }

    @Test
    void aRecordingsContainerEventsNameTheServerItsImageAndPod() throws Exception {
        Path f = rt.dir().resolve("rec.scap"), err = rt.dir().resolve("rec.err");
        Process rec = rt.wiretop("record", "-w", f.toString(), "--container-id", serverId.substring(0, 12))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            KernelHarness.awaitStderr(rec, err, "recording");
            assertTrue(podman.get(client, 8080, "index.html?from=record"));
        } finally {
            KernelHarness.term(rec);
        }
        assertEquals(0, rec.exitValue(), Files.readString(err));
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
        try (io.wiretop.trace.scap.ScapReader r = io.wiretop.trace.scap.ScapReader.open(f)) {
            for (io.wiretop.trace.scap.ScapEvent e; (e = r.next()) != null; ) {
                if (e.type() == 324) { // PPME_CONTAINER_JSON_2_E: one JSON parameter, NUL-terminated
                    String json = e.asString(0);
                    com.fasterxml.jackson.databind.JsonNode c = KernelHarness.JSON.readTree(json).get("container");
                    byName.put(c.get("name").asText(), c);
                }
            }
        }
        com.fasterxml.jackson.databind.JsonNode srv = byName.get(server);
        assertTrue(srv != null, byName.keySet().toString());
        assertEquals(serverId, srv.get("full_id").asText());
        assertEquals(podman.image, srv.get("image").asText());
        assertEquals(11, srv.get("type").asInt()); // CT_PODMAN
        assertEquals(pod, srv.get("labels").get("io.kubernetes.pod.name").asText());
        // sysdig reads the file (its 0.29.3 engines know podman only by libpod-ID.scope cgroups, so it
        // cannot tie these cgroupfs threads to the event: RecordContainersSysdigTest shows the names)
        Process sd = new ProcessBuilder("sysdig", "-r", f.toString(), "proc.pid=1").redirectErrorStream(true).start();
        sd.getInputStream().readAllBytes();
        assertTrue(sd.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, sd.exitValue());
    }

    /**
     * Two listeners bound on the same port after the capture started, each in its own container's
     * namespace: a connection accepted by one is attributed to that one's httpd, not to whichever
     * bound last (the kernel's listener map is keyed by namespace too).
     */
    @Test
    void listenersOnOnePortInTwoNamespacesKeepTheirOwnConnections() throws Exception {
        Path out = rt.dir().resolve("ports.pcapng"), err = rt.dir().resolve("ports.err");
        Process cap = rt.wiretop("capture", "-w", out.toString(), "tcp", "port", "8081").redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            KernelHarness.awaitStderr(cap, err, "capturing on");
            for (String c : List.of(server, neighbour)) { // the neighbour binds last
                podman.cmd("exec", "-d", c, "httpd", "-f", "-p", "127.0.0.1:8081", "-h", "/www");
                podman.awaitHttp(c.equals(server) ? client : c, 8081);
            }
            assertTrue(podman.get(client, 8081, "index.html?to=server"));
            assertTrue(podman.get(neighbour, 8081, "index.html?to=neighbour"));
            Thread.sleep(1000);
        } finally {
            KernelHarness.term(cap);
        }
        // both copies of each request (the sender's and the receiver's): no retransmission analysis,
        // which would leave the second copy undissected
        Process t = new ProcessBuilder("tshark", "-o", "tcp.analyze_sequence_numbers:FALSE", "-r", out.toString(),
                "-T", "fields", "-E", "separator=|", "-e", "http.request.uri", "-e", "frame.comment", "http.request").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(t.waitFor(60, TimeUnit.SECONDS) && t.exitValue() == 0, text);
        int toServer = 0, toNeighbour = 0;
        for (String line : text.split("\n")) {
            // the request as the accepting httpd's socket received it (the sender's copy names wget)
            if (!line.contains("Args: httpd")) {
                continue;
            }
            if (line.contains("to=server")) {
                toServer++;
                assertTrue(line.contains("ContainerName: " + server + "\\n"), line);
            } else if (line.contains("to=neighbour")) {
                toNeighbour++;
                assertTrue(line.contains("ContainerName: " + neighbour + "\\n"), line);
            }
        }
        assertEquals(1, toServer, text);
        assertEquals(1, toNeighbour, text);
    }

    private static final int IFACE = 0, SPORT = 1, DPORT = 2, SYN_FLAG = 3, ACK_FLAG = 4, FIN_FLAG = 5, URI = 6,
            COMMENT = 7;
    private static final java.util.function.Predicate<String[]> SYN = f -> f[SYN_FLAG].equals("1") && f[ACK_FLAG].equals("0");
    private static final java.util.function.Predicate<String[]> SYN_ACK = f -> f[SYN_FLAG].equals("1") && f[ACK_FLAG].equals("1");

    /** The server's side only: each connection whole from its SYN, one copy of each packet, no neighbour. */
    private static void assertServerOnly(List<String[]> pkts) throws Exception {
        String all = dump(pkts);
        assertEquals(CLIENT_REQUESTS, count(pkts, SYN), all);
        assertEquals(CLIENT_REQUESTS, count(pkts, SYN_ACK), all);
        assertEquals(CLIENT_REQUESTS, count(pkts, f -> f[URI].contains("from=client")), all);
        assertFalse(all.contains("from=neighbour"), all);
        // every connection starts with its SYN and ends with a FIN from each side
        java.util.Map<String, List<String[]>> byClientPort = new java.util.LinkedHashMap<>();
        for (String[] f : pkts) {
            byClientPort.computeIfAbsent(f[SPORT].equals("8080") ? f[DPORT] : f[SPORT], k -> new ArrayList<>()).add(f);
        }
        assertEquals(CLIENT_REQUESTS, byClientPort.size(), all);
        for (List<String[]> conn : byClientPort.values()) {
            assertTrue(SYN.test(conn.get(0)), "first packet is the SYN:\n" + all);
            assertEquals(2, conn.stream().filter(f -> f[FIN_FLAG].equals("1")).count(), all);
        }
        assertEquals(new TreeSet<>(List.of("lo@" + server)), column(pkts, IFACE), all);
        // every packet names the container, image and pod, also the handshake no process owns
        String id = serverId;
        for (String[] f : pkts) {
            assertTrue(f[COMMENT].contains("ContainerName: " + server + "\\nContainerId: " + id
                    + "\\nContainerImage: " + podman.image), all);
            assertTrue(f[COMMENT].contains("PodName: " + pod), all);
        }
    }

    /** Runs a capture with these options around the clients' and the neighbour's requests; tshark's fields. */
    private static List<String[]> capture(String tag, String... select) throws Exception {
        Path out = rt.dir().resolve(tag + ".pcapng"), err = rt.dir().resolve(tag + ".err");
        List<String> args = new ArrayList<>(List.of("capture"));
        args.addAll(List.of(select));
        args.addAll(List.of("-w", out.toString(), "--print", "-v", "tcp", "port", "8080"));
        Path lines = rt.dir().resolve(tag + ".txt");
        Process cap = rt.wiretop(args.toArray(String[]::new)).redirectError(err.toFile()).redirectOutput(lines.toFile()).start();
        try {
            KernelHarness.awaitStderr(cap, err, "capturing on");
            for (int i = 0; i < Math.max(CLIENT_REQUESTS, NEIGHBOUR_REQUESTS); i++) {
                if (i < CLIENT_REQUESTS) {
                    assertTrue(podman.get(client, 8080, "index.html?from=client" + i));
                }
                if (i < NEIGHBOUR_REQUESTS) {
                    assertTrue(podman.get(neighbour, 8080, "index.html?from=neighbour" + i));
                }
            }
            Thread.sleep(1000); // the last FIN's ACK
        } finally {
            KernelHarness.term(cap);
        }
        assertEquals(0, cap.exitValue(), Files.readString(err));
        Process t = new ProcessBuilder("tshark", "-r", out.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.interface_name", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.syn",
                "-e", "tcp.flags.ack", "-e", "tcp.flags.fin", "-e", "http.request.uri", "-e", "frame.comment")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(t.waitFor(60, TimeUnit.SECONDS) && t.exitValue() == 0, text);
        List<String[]> pkts = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                pkts.add(line.split("\\|", 8));
            }
        }
        assertFalse(pkts.isEmpty(), Files.readString(err));
        // the -v lines name the interface as the file does: each packet's first line, then its blocks
        List<String> first = Files.readAllLines(lines).stream().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0)))
                .toList();
        assertEquals(pkts.size(), first.size(), Files.readString(lines));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(pkts.get(i)[IFACE], first.get(i).split(" ")[1], first.get(i));
        }
        return pkts;
    }


    private static long count(List<String[]> pkts, java.util.function.Predicate<String[]> p) {
        return pkts.stream().filter(p).count();
    }

    private static TreeSet<String> column(List<String[]> pkts, int i) {
        TreeSet<String> s = new TreeSet<>();
        pkts.forEach(f -> s.add(f[i]));
        return s;
    }

    private static String dump(List<String[]> pkts) {
        StringBuilder b = new StringBuilder();
        pkts.forEach(f -> b.append(String.join(" | ", f)).append('\n'));
        return b.toString();
    }
}
