// SPDX-License-Identifier: Apache-2.0
package io.wiretop.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 GET over a unix socket, for the runtimes' local APIs (Docker Engine, Podman).
 * The JDK's HttpClient cannot use a unix socket; the libraries that can (Apache HttpClient 5 with a
 * custom connection operator, OkHttp with a socket factory, docker-java) bring far more than one GET
 * with JSON back. Non-blocking with a selector, so every call ends within its deadline whatever
 * the server does; one connection per call ("Connection: close"), bodies capped.
 */
public final class UnixHttp {
    /** Answers larger than this are refused (a runtime with thousands of containers stays well below). */
    static final int MAX_BODY = 16 << 20;

    /** A status code and the (de-chunked) body. */
    public record Response(int status, byte[] body) {
        /** The body as text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private UnixHttp() {
    }

    /** GET {@code target} ("/containers/json") from the server on {@code socket}, all of it within {@code timeoutMillis}. */
    public static Response get(Path socket, String target, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket)); // local: answers at once (or refuses)
            ch.configureBlocking(false);
            ByteBuffer req = ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "User-Agent: wiretop\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            SelectionKey key = ch.register(sel, SelectionKey.OP_WRITE);
            while (req.hasRemaining()) {
                await(sel, deadline);
                ch.write(req);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (true) {
                await(sel, deadline);
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                raw.write(buf.array(), 0, buf.position());
                buf.clear();
                if (raw.size() > MAX_BODY) {
                    throw new IOException("answer larger than " + MAX_BODY + " bytes");
                }
                Response done = complete(raw.toByteArray());
                if (done != null) {
                    return done;
                }
            }
            Response r = parse(raw.toByteArray(), true);
            if (r == null) {
                throw new IOException("connection closed before a whole answer");
            }
            return r;
        }
    }

    private static void await(Selector sel, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0 || sel.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new IOException("no answer in time");
        }
        sel.selectedKeys().clear();
    }

    /** The response when {@code raw} already holds all of it (by Content-Length or the last chunk), else null. */
    static Response complete(byte[] raw) throws IOException {
        return parse(raw, false);
    }

    /** Parses a response; with {@code eof} a body without length ends where the bytes end. Null: incomplete. */
    static Response parse(byte[] raw, boolean eof) throws IOException {
        int head = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (head < 0) {
            return null;
        }
        String[] lines = new String(raw, 0, head, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer");
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + status[1].replaceAll("[^ -~]", "?"));
        }
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c < 0) {
                continue;
            }
            String name = lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(c + 1).strip();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length");
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        int start = head + 4;
        if (chunked) {
            byte[] body = dechunk(raw, start);
            return body == null ? (eof ? fail("cut chunked body") : null) : new Response(code, body);
        }
        if (length >= 0) {
            if (raw.length - start < length) {
                return eof ? fail("cut body") : null;
            }
            return new Response(code, java.util.Arrays.copyOfRange(raw, start, start + (int) length));
        }
        return eof ? new Response(code, java.util.Arrays.copyOfRange(raw, start, raw.length)) : null;
    }

    private static Response fail(String why) throws IOException {
        throw new IOException(why);
    }

    /** The body of a chunked transfer, or null while its last (zero-size) chunk has not arrived. */
    private static byte[] dechunk(byte[] raw, int at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        while (true) {
            int eol = indexOf(raw, crlf, at);
            if (eol < 0) {
                return null;
            }
            String sizeText = new String(raw, at, eol - at, StandardCharsets.ISO_8859_1);
            int semi = sizeText.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeText : sizeText.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (size < 0 || size > MAX_BODY) {
                throw new IOException("bad chunk size");
            }
            if (size == 0) {
                return out.toByteArray();
            }
            int data = eol + 2;
            if (raw.length < data + size + 2) {
                return null;
            }
            out.write(raw, data, (int) size);
            at = data + (int) size + 2;
        }
    }

    private static int indexOf(byte[] a, byte[] what, int from) {
        outer:
        for (int i = from; i <= a.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
