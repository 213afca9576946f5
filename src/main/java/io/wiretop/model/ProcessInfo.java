// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/** What stays the same for the life of a process: names, owner, container. Read once per process. */
public record ProcessInfo(String comm, String cmdline, long ppid, long uid, String user, String containerId) {
}
