// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

/**
 * One entry of /proc/[pid]/fd: where it points ("/path", "socket:[ino]", "pipe:[ino]",
 * "anon_inode:[eventpoll]"...), its inode and its open flags (fdinfo, Linux O_* bits).
 */
public record OpenFd(int fd, String target, long inode, int flags, long device) {
}
