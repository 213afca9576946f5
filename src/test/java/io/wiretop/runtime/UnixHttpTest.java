// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unix-socket GET: lengths, chunks, errors and a server that never answers (the deadline holds). */
class UnixHttpTest {
    @TempDir
    Path dir;

    @Test
    void aContentLengthAnswer() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> FakeApi.ok("{\"a\":\"é\"}"))) {
            UnixHttp.Response r = UnixHttp.get(api.socket, "/version", 2000);
            assertEquals(200, r.status());
            assertEquals("{\"a\":\"é\"}", r.text());
            assertEquals("/version", api.requests.get(0));
        }
    }

    @Test
    void aChunkedAnswerIsJoined() throws Exception {
        String body = "[" + "{\"Id\":\"x\"},".repeat(3000) + "{}]";
        try (FakeApi api = new FakeApi(dir, t -> FakeApi.chunked(body, 777))) {
            assertEquals(body, UnixHttp.get(api.socket, "/containers/json", 2000).text());
        }
    }

    @Test
    void anErrorStatusIsReturned() throws Exception {
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}";
        try (FakeApi api = new FakeApi(dir, t -> notFound)) {
            assertEquals(404, UnixHttp.get(api.socket, "/x", 2000).status());
        }
    }

    @Test
    void aSilentServerCostsTheTimeoutOnly() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> null)) {
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> UnixHttp.get(api.socket, "/x", 300));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 250 && ms < 3000, "gave up after " + ms + " ms");
            assertEquals("no answer in time", e.getMessage());
        }
    }

    @Test
    void garbageAndMissingSocketsAreIoErrors() throws Exception {
        try (FakeApi api = new FakeApi(dir, t -> "SSH-2.0-OpenSSH\r\n\r\n")) {
            assertThrows(IOException.class, () -> UnixHttp.get(api.socket, "/x", 2000));
        }
        assertThrows(IOException.class, () -> UnixHttp.get(dir.resolve("none.sock"), "/x", 2000));
        try (FakeApi api = new FakeApi(dir, t -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}")) {
            assertThrows(IOException.class, () -> UnixHttp.get(api.socket, "/x", 2000)); // cut short
        }
    }
}
