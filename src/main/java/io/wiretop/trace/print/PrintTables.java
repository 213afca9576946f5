// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What sysdig knows about printing parameters, loaded from {@code scap/print.tsv} (generated from
 * falcosecurity/libs by {@code scripts/gen-scap-print.py}): each parameter's print format and flag
 * table, the flag tables in their order, errno and signal names.
 */
final class PrintTables {
    /** libs' {@code ppm_print_format} as sysdig uses it for numbers. */
    enum Format { DEC, HEX, OCT, NA }

    /** One entry of a flag table. */
    record Flag(String name, long value) {
    }

    private static final Map<Long, Format> FORMATS = new HashMap<>();
    private static final Map<Long, List<Flag>> PARAM_FLAGS = new HashMap<>();
    private static final Map<Integer, String> ERRNOS = new HashMap<>();
    private static final Map<Integer, String> SIGNALS = new HashMap<>();
    /** Event id to "R", "W" or "RW" (EF_READS_FROM_FD / EF_WRITES_TO_FD). */
    private static final Map<Integer, String> DATA_IO = new HashMap<>();
    /** PT_DYN parameters: the types their leading index byte selects. */
    private static final Map<Long, List<io.wiretop.trace.scap.ParamType>> DYN = new HashMap<>();

    static {
        Map<String, List<Flag>> tables = new HashMap<>();
        Map<String, List<io.wiretop.trace.scap.ParamType>> dyn = new HashMap<>();
        Map<Long, String> paramTable = new HashMap<>();
        try (InputStream s = PrintTables.class.getResourceAsStream("/scap/print.tsv")) {
            if (s == null) {
                throw new IllegalStateException("scap/print.tsv missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "P" -> {
                        long key = key(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                        FORMATS.put(key, f[3].equals("HEX") ? Format.HEX : f[3].equals("OCT") ? Format.OCT
                                : f[3].equals("DEC") ? Format.DEC : Format.NA);
                        if (!f[4].equals("-")) {
                            paramTable.put(key, f[4]);
                        }
                    }
                    case "F" -> tables.computeIfAbsent(f[1], k -> new ArrayList<>())
                            .add(new Flag(f[2], Long.parseLong(f[3])));
                    case "E" -> ERRNOS.put(Integer.parseInt(f[1]), f[2]);
                    case "S" -> SIGNALS.put(Integer.parseInt(f[1]), f[2]);
                    case "D" -> DATA_IO.put(Integer.parseInt(f[1]), f[2]);
                    case "Y" -> {
                        List<io.wiretop.trace.scap.ParamType> l = dyn.computeIfAbsent(f[1], k -> new ArrayList<>());
                        if (Integer.parseInt(f[2]) != l.size()) {
                            throw new IllegalStateException("scap/print.tsv: " + f[1] + " out of order");
                        }
                        l.add(io.wiretop.trace.scap.ParamType.valueOf(f[3]));
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        paramTable.forEach((k, t) -> {
            List<Flag> flags = tables.get(t);
            if (flags != null) {
                PARAM_FLAGS.put(k, flags);
            } else if (dyn.containsKey(t)) {
                DYN.put(k, List.copyOf(dyn.get(t)));
            }
        });
    }

    private PrintTables() {
    }

    private static long key(int id, int index) {
        return ((long) id << 16) | index;
    }

    static Format format(int id, int index) {
        return FORMATS.getOrDefault(key(id, index), Format.DEC);
    }

    /** The flag table of a FLAGS or MODE parameter, or null. */
    static List<Flag> flags(int id, int index) {
        return PARAM_FLAGS.get(key(id, index));
    }

    /** sinsp_utils::errno_to_str of a negative value, or null. */
    static String errno(long negative) {
        return ERRNOS.get((int) -negative);
    }

    /** The types a PT_DYN parameter's index byte selects, or an empty list. */
    static List<io.wiretop.trace.scap.ParamType> dynamic(int id, int index) {
        return DYN.getOrDefault(key(id, index), List.of());
    }

    /** Whether the event reads data from its fd (EF_READS_FROM_FD). */
    static boolean readsFd(int id) {
        return DATA_IO.getOrDefault(id, "").contains("R");
    }

    /** Whether the event writes data to its fd (EF_WRITES_TO_FD). */
    static boolean writesFd(int id) {
        return DATA_IO.getOrDefault(id, "").contains("W");
    }

    static String signal(int code) {
        return SIGNALS.get(code);
    }
}
