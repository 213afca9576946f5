// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.List;

/**
 * libsinsp's rule for a socket tuple whose local end is all zeros (a UDP send before bind, a
 * connect seen before the kernel chose the address): the remote when it is loopback, else the
 * capture's first non-loopback interface address of the same family. One rule for the replay's
 * tables and for sysdig's event lines.
 */
public final class LocalEnd {
    private LocalEnd() {
    }

    /** The address to use for the local end, or null when the capture has none of that family. */
    public static byte[] forRemote(byte[] remote, List<ScapInterface> interfaces) {
        if (isLoopback(remote)) {
            return remote;
        }
        for (ScapInterface i : interfaces) {
            if (i.address() != null && i.address().length == remote.length && !isLoopback(i.address())) {
                return i.address();
            }
        }
        return null;
    }

    /** 127/8 or ::1. */
    public static boolean isLoopback(byte[] a) {
        if (a.length == 4) {
            return a[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }

    /** Every byte zero (0.0.0.0, ::). */
    public static boolean isZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
