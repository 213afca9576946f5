// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/** Parameter types of libs' {@code enum ppm_param_type} (the codes are the enum's values). */
public enum ParamType {
    NONE, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, CHARBUF, BYTEBUF, ERRNO, SOCKADDR, SOCKTUPLE,
    FD, PID, FDLIST, FSPATH, SYSCALLID, SIGTYPE, RELTIME, ABSTIME, PORT, L4PROTO, SOCKFAMILY, BOOL, IPV4ADDR, DYN,
    FLAGS8, FLAGS16, FLAGS32, UID, GID, DOUBLE, SIGSET, CHARBUFARRAY, CHARBUF_PAIR_ARRAY, IPV4NET, IPV6ADDR,
    IPV6NET, IPADDR, IPNET, MODE, FSRELPATH;

    /** Signed integer types, whose value is sign-extended from its length. */
    boolean signed() {
        return switch (this) {
            case INT8, INT16, INT32, INT64, ERRNO, FD, PID, DYN -> true;
            default -> false;
        };
    }

    /** NUL-terminated text. */
    boolean text() {
        return this == CHARBUF || this == FSPATH || this == FSRELPATH;
    }
}
