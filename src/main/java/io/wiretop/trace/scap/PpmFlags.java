// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * Linux flag values translated to libscap's own encodings (driver/ppm_events_public.h), which
 * sysdig decodes and prints: they are not Linux's numbers.
 */
public final class PpmFlags {
    private PpmFlags() {
    }

    /** Linux open(2) flags (as /proc/[pid]/fdinfo shows them) to PPM_O_* bits. */
    public static int openFlags(int linux) {
        int ppm = switch (linux & 3) {
            case 0 -> 1;      // O_RDONLY
            case 1 -> 2;      // O_WRONLY
            default -> 3;     // O_RDWR
        };
        ppm |= bit(linux, 0100, 4);          // O_CREAT
        ppm |= bit(linux, 02000, 8);         // O_APPEND
        ppm |= bit(linux, 010000, 16);       // O_DSYNC
        ppm |= bit(linux, 0200, 32);         // O_EXCL
        ppm |= bit(linux, 04000, 64);        // O_NONBLOCK
        ppm |= bit(linux, 04010000, 128);    // O_SYNC (includes O_DSYNC's bit)
        ppm |= bit(linux, 01000, 256);       // O_TRUNC
        ppm |= bit(linux, 040000, 512);      // O_DIRECT
        ppm |= bit(linux, 020200000, 8192);  // O_TMPFILE (includes O_DIRECTORY's bit)
        if ((ppm & 8192) == 0) {
            ppm |= bit(linux, 0200000, 1024); // O_DIRECTORY
        }
        ppm |= bit(linux, 0100000, 2048);    // O_LARGEFILE
        ppm |= bit(linux, 02000000, 4096);   // O_CLOEXEC
        return ppm;
    }

    private static int bit(int linux, int mask, int ppm) {
        return (linux & mask) == mask ? ppm : 0;
    }
}
