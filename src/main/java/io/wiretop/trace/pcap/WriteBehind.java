// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Filled buffers go to the file on a thread of their own, so that the capture thread never waits
 * for the disk while the kernel's ring buffer fills: when the page cache throttles writers (dirty
 * page limits), a capture writing 100 MB/s would otherwise stall for longer than the ring lasts
 * and lose packets. A fixed set of buffers circulates between the two threads; when all are
 * waiting for the disk, the capture thread waits too (and the ring absorbs it or counts losses).
 * The writer thread is the only one that touches the channel, also when a rotation (-C) switches
 * to the next file: the old one is closed behind the capture too. An I/O error is reported on the
 * next call from the capture thread.
 */
final class WriteBehind implements AutoCloseable {
    private static final ByteBuffer STOP = ByteBuffer.allocate(0);
    private WritableByteChannel out; // the writer thread's (until close() has joined it)
    private final BlockingQueue<Object> full; // filled ByteBuffers, and Switch markers
    private final BlockingQueue<ByteBuffer> free;
    private final Thread writer;
    private volatile Throwable failure;
    private int inFlight;

    WriteBehind(WritableByteChannel out, int buffers, int bufferSize, String threadName) {
        this.out = out;
        this.full = new java.util.concurrent.LinkedBlockingQueue<>(); // bounded by the buffers in circulation
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN));
        }
        writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** An empty buffer to fill (waits while every buffer is on its way to the disk). */
    ByteBuffer take() throws IOException {
        check();
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the disk");
        }
    }

    /** Hands a filled buffer (position = bytes to write) to the writer thread. */
    void submit(ByteBuffer filled) throws IOException {
        check();
        filled.flip();
        synchronized (this) {
            inFlight++;
        }
        full.add(filled);
    }

    /** Opens the next file; called on the writer thread. */
    @FunctionalInterface
    interface Opener {
        WritableByteChannel open() throws IOException;
    }

    private record Switch(Opener next) {
    }

    /**
     * After what was submitted so far: closes the current channel and opens the next one, both on
     * the writer thread (with -W the next name may be the file still being written: it must be
     * finished before it is truncated).
     */
    void switchTo(Opener next) throws IOException {
        check();
        synchronized (this) {
            inFlight++;
        }
        full.add(new Switch(next));
    }

    /** Waits until every submitted buffer is written. */
    void drain() throws IOException {
        synchronized (this) {
            while (inFlight > 0 && failure == null) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the disk");
                }
            }
        }
        check();
    }

    private void run() {
        try {
            for (Object item; (item = full.take()) != STOP; ) {
                if (item instanceof Switch s) {
                    try {
                        out.close();
                        out = s.next().open();
                    } catch (Throwable e) {
                        failure = e;
                    } finally {
                        synchronized (this) {
                            inFlight--;
                            notifyAll();
                        }
                    }
                    continue;
                }
                ByteBuffer b = (ByteBuffer) item;
                try {
                    while (b.hasRemaining() && failure == null) {
                        out.write(b);
                    }
                } catch (Throwable e) { // whatever stops the writing must reach the capture thread
                    failure = e;
                } finally {
                    b.clear();
                    free.add(b);
                    synchronized (this) {
                        inFlight--;
                        notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() throws IOException {
        Throwable e = failure;
        if (e != null) {
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
    }

    /** Writes what is pending, stops the thread and closes the channel. */
    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            full.add(STOP);
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.close();
        }
    }
}
