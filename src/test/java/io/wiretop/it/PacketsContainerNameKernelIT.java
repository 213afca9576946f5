// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Packets view of the live feed names containers as capture does: a real podman container
 * ({@link Runtimes}, --network none) serves httpd on its own loopback, and {@code wiretop --raw -v
 * packets} shows its packets on {@code lo@NAME} (the name from the runtime's API, found through
 * CONTAINER_HOST), not on {@code lo@ID}: the live feed's container directory reaches its packet source.
 */
class PacketsContainerNameKernelIT {
    private static Runtimes rt;
    private static Runtimes.Podman podman;
    private static Runtimes.Container web;

    @BeforeAll
    static void containers() throws Exception {
        KernelHarness.requireRoot();
        rt = Runtimes.open("ctrpkt");
        podman = rt.podman();
        podman.service();
        web = podman.run("web", List.of("--network", "none"), "sh", "-c", Runtimes.httpd(8080));
        podman.awaitHttp(web.name(), 8080);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void thePacketsViewShowsTheContainersNameOnItsLoopback() throws Exception {
        Path out = rt.dir().resolve("packets.out"), err = rt.dir().resolve("packets.err");
        Process w = rt.wiretop("--raw", "-v", "packets", "-d", "500").redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        String named = "lo@" + web.name();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            // the packet hooks attach when the view first asks: request until a packet of the port shows
            while (!lines(out).stream().anyMatch(l -> l.contains(named) && (l.contains(":8080") || l.contains(".8080")))) {
                assertTrue(w.isAlive(), Files.readString(err));
                assertTrue(System.currentTimeMillis() < deadline, "no " + named + " line in:\n" + Files.readString(out)
                        + "\nstderr: " + Files.readString(err));
                podman.get(web.name(), 8080, "index.html?n=" + System.nanoTime());
                Thread.sleep(500);
            }
        } finally {
            w.destroy(); // SIGTERM
            assertTrue(w.waitFor(30, TimeUnit.SECONDS), "ended on SIGTERM");
        }
        assertEquals(0, w.exitValue(), Files.readString(err));
        // the first packets may show the id alone (the runtime answers off the feed's thread), later ones the name
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    }
}
