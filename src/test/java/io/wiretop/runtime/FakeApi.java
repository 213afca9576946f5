// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A unix-socket server answering each request line with canned bytes (tests of the runtime client). */
final class FakeApi implements AutoCloseable {
    final Path socket;
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;

    /** Answers by target ("/version"): the raw response bytes, or null to answer nothing (hang). */
    FakeApi(Path dir, Function<String, String> answer) throws IOException {
        socket = dir.resolve("api.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(8192);
                    StringBuilder req = new StringBuilder();
                    while (!req.toString().contains("\r\n\r\n") && c.read(b) > 0) {
                        req.append(new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1));
                        b.clear();
                    }
                    String target = req.toString().split(" ")[1];
                    requests.add(target);
                    String a = answer.apply(target);
                    if (a == null) {
                        Thread.sleep(5000);
                        continue;
                    }
                    c.write(ByteBuffer.wrap(a.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // closed
                }
            }
        }, "fake-api");
        thread.setDaemon(true);
        thread.start();
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String chunked(String body, int size) {
        StringBuilder b = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += size) {
            int n = Math.min(size, bytes.length - i);
            b.append(Integer.toHexString(n)).append("\r\n").append(new String(bytes, i, n, StandardCharsets.UTF_8)).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    static Map<String, String> none() {
        return Map.of();
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
        Files.deleteIfExists(socket);
    }
}
