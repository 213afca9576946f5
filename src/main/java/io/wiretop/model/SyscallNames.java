// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Syscall names (x86_64 numbers) and errno names, from tables generated from the kernel headers. */
public final class SyscallNames {
    private static final Map<Integer, String> SYSCALLS = load("/names/syscalls-x86_64.txt");
    private static final Map<Integer, String> ERRNOS = load("/names/errno.txt");
    private static final Map<String, Integer> NUMBERS = numbers();

    private SyscallNames() {
    }

    public static String syscall(int nr) {
        return SYSCALLS.getOrDefault(nr, "syscall_" + nr);
    }

    /** The x86_64 number of a syscall name (a trace names syscalls, the kernel numbers them), or -1. */
    public static int number(String name) {
        return NUMBERS.getOrDefault(name, -1);
    }

    private static Map<String, Integer> numbers() {
        Map<String, Integer> m = new HashMap<>();
        SYSCALLS.forEach((nr, name) -> m.merge(name, nr, Math::min));
        return m;
    }

    /** "SUCCESS" for 0, else the errno's name (ENOENT...). */
    public static String result(int err) {
        return err == 0 ? "SUCCESS" : ERRNOS.getOrDefault(err, "E" + err);
    }

    private static Map<Integer, String> load(String resource) {
        Map<Integer, String> m = new HashMap<>();
        try (InputStream in = SyscallNames.class.getResourceAsStream(resource)) {
            if (in == null) {
                return m;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2) {
                    m.putIfAbsent(Integer.parseInt(f[0]), f[1]);
                }
            }
        } catch (IOException e) {
            return m;
        }
        return m;
    }
}
