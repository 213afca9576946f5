// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Loads libbpf and libc once and collects libbpf's log into a bounded buffer, so that a failure can
 * quote the verifier's last words instead of printing them over the user's terminal.
 * Thread-safe: the log buffer is synchronized.
 */
public final class Native {
    private static volatile Native instance;

    final LibBpf bpf;
    final LibC libc;
    final Runtime runtime;
    private final Deque<String> log = new ArrayDeque<>();
    // held strongly: libbpf keeps the function pointer for the life of the process
    private final LibBpf.PrintCallback printer;

    private Native(LibBpf bpf, LibC libc) {
        this.bpf = bpf;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(bpf);
        this.printer = (level, fmt, va) -> {
            byte[] buf = new byte[4096];
            int n = libc.vsnprintf(buf, buf.length, fmt, va);
            record(new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), java.nio.charset.StandardCharsets.UTF_8));
            return 0;
        };
        bpf.libbpf_set_print(printer);
    }

    /** The process-wide binding; throws a one-sentence BpfException when libbpf is not installed. */
    public static Native get() throws BpfException {
        Native n = instance;
        if (n != null) {
            return n;
        }
        synchronized (Native.class) {
            if (instance == null) {
                LibBpf bpf;
                try {
                    bpf = LibraryLoader.create(LibBpf.class).option(LibraryOption.SaveError, true)
                            .failImmediately().load("libbpf.so.1");
                } catch (LinkageError | RuntimeException e) {
                    throw new BpfException("libbpf.so.1 was not found: install it with `apt-get install libbpf1` "
                            + "(or run scripts/install-deps.sh run)", String.valueOf(e));
                }
                LibC libc = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");
                instance = new Native(bpf, libc);
            }
            return instance;
        }
    }

    private synchronized void record(String line) {
        for (String l : line.split("\n")) {
            if (!l.isBlank()) {
                log.addLast(l);
            }
        }
        while (log.size() > 400) {
            log.removeFirst();
        }
    }

    /** Takes and clears what libbpf logged since the last call. */
    public synchronized String drainLog() {
        String s = String.join("\n", log);
        log.clear();
        return s;
    }

    int errno() {
        return runtime.getLastError();
    }
}
