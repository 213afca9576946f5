// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/**
 * The fields wiretop takes from /proc/[pid]/stat (or /proc/[pid]/task/[tid]/stat).
 *
 * @param cpuTicks utime + stime in clock ticks
 * @param rssPages resident pages
 */
public record ProcStat(long pid, String comm, long ppid, long cpuTicks, long threads, long startTicks,
                       long vsizeBytes, long rssPages) {

    /** Page size of the machines we run on (x86_64): /proc/[pid]/stat counts RSS in pages. */
    public static final long PAGE_BYTES = 4096;

    /** Resident memory in bytes. */
    public long rssBytes() {
        return rssPages * PAGE_BYTES;
    }

    /**
     * Parses a stat line read byte for byte (ISO-8859-1, as ProcFs reads /proc); null when it is
     * malformed (the process vanished mid-read). The comm is the task's bytes, UTF-8 by convention:
     * it is decoded as such (so "café" reads as the exec event's comm does), invalid bytes becoming U+FFFD.
     */
    public static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) {
            return null;
        }
        String[] f = fieldsAfter(line, close);
        if (f == null) {
            return null;
        }
        try {
            return new ProcStat(Long.parseLong(line.substring(0, open).strip()), utf8(line.substring(open + 1, close)),
                    Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[17]),
                    Long.parseLong(f[19]), Long.parseUnsignedLong(f[20]), Long.parseLong(f[21]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The fields after the comm of a stat line, field n of proc(5) at index n - 3 (the comm may
     * hold spaces and parentheses: the last ')' ends it); null when malformed.
     */
    public static String[] fieldsAfterComm(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) {
            return null;
        }
        return fieldsAfter(line, close);
    }

    /** The fields after the ')' at close; null when there are too few. */
    private static String[] fieldsAfter(String line, int close) {
        String[] f = line.substring(close + 2).split(" ");
        return f.length < 22 ? null : f;
    }

    private static String utf8(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) >= 0x80) {
                return new String(bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return bytes; // ASCII, the usual case: no copy
    }
}
