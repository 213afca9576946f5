// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A syscall stream for tests: yields the scap-encoded events queued with {@link #add}, at most
 * {@code perPoll} per poll, as the kernel's ring would; counts lost events as told. Thread-safe
 * between the test thread (adding) and the recorder's (polling).
 */
public final class FakeSyscallEvents implements SyscallEvents {
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private final int perPoll;
    private final long[] lost = new long[2];
    public final AtomicBoolean closed = new AtomicBoolean();
    public volatile EventSelection selected;

    public FakeSyscallEvents(int perPoll) {
        this.perPoll = perPoll;
    }

    public synchronized void add(byte[] event) {
        queue.add(event);
        notifyAll();
    }

    public synchronized void lose(int cpu, long n) {
        lost[cpu] += n;
    }

    public synchronized int queued() {
        return queue.size();
    }

    @Override
    public synchronized int poll(int timeoutMillis, EventSink sink) throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("polled after close");
        }
        if (queue.isEmpty()) {
            try {
                wait(Math.min(timeoutMillis, 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        int n = 0;
        while (n < perPoll && !queue.isEmpty()) {
            byte[] e = queue.poll();
            // given with some bytes around it, as a ring hands out a slice of its buffer
            ByteBuffer b = ByteBuffer.allocate(e.length + 16).order(ByteOrder.LITTLE_ENDIAN);
            b.position(8);
            b.put(e);
            b.flip().position(8);
            sink.event(n % 2, b);
            n++;
        }
        return n;
    }

    @Override
    public void select(EventSelection selection) {
        selected = selection;
    }

    @Override
    public synchronized long[] lostPerCpu() {
        if (closed.get()) {
            throw new IllegalStateException("read after close");
        }
        return lost.clone();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    /** An event in scap's encoding: 26-byte header, u16 lengths, the values (each a long, int, short or String). */
    public static byte[] event(long ts, long tid, int type, Object... params) {
        byte[][] values = new byte[params.length][];
        int size = 26 + 2 * params.length;
        for (int i = 0; i < params.length; i++) {
            values[i] = bytes(params[i]);
            size += values[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(ts).putLong(tid).putInt(size).putShort((short) type).putInt(params.length);
        for (byte[] v : values) {
            b.putShort((short) v.length);
        }
        for (byte[] v : values) {
            b.put(v);
        }
        return b.array();
    }

    private static byte[] bytes(Object p) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (p instanceof Long l) {
            return b.putLong(l).array();
        }
        if (p instanceof Integer i) {
            return java.util.Arrays.copyOf(b.putInt(i).array(), 4);
        }
        if (p instanceof String s) {
            byte[] t = s.getBytes(StandardCharsets.UTF_8);
            return java.util.Arrays.copyOf(t, t.length + 1);
        }
        if (p instanceof Short sh) {
            return java.util.Arrays.copyOf(b.putShort(sh).array(), 2);
        }
        if (p instanceof byte[] raw) {
            return raw;
        }
        throw new IllegalArgumentException(String.valueOf(p));
    }

    /** write enter (8): fd, size. */
    public static byte[] writeEnter(long ts, long tid, long fd, int size) {
        return event(ts, tid, 8, fd, size);
    }

    /** write exit (9): res, data. */
    public static byte[] writeExit(long ts, long tid, long res, byte[] data) {
        return event(ts, tid, 9, res, data);
    }
}
