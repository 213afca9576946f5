// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * A file descriptor a thread held when the capture started (one FD-list entry).
 *
 * @param type      libscap's {@code scap_fd_type}: 1 file, 3/4 IPv4/IPv6 socket, 5/6 server socket, 8 unix, 16 file (v2)...
 * @param name      path or unix-socket path ("" for sockets); untrusted text
 * @param socket    the socket's ends for types 3-6 and 8, else null
 * @param openFlags PPM_O_* flags of a type-16 file, else 0
 * @param dev       device of a type-16 file in an FDL_V2 block, else 0
 */
public record ScapFd(long fd, long ino, int type, String name, ScapSocket socket, long openFlags, long dev) {
}
