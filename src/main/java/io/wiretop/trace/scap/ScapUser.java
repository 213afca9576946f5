// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * A user or a group of the capturing machine (UL block); names are untrusted text.
 *
 * @param group true for a group entry, whose uid, home and shell are unset (-1, "")
 */
public record ScapUser(boolean group, long uid, long gid, String name, String home, String shell) {
}
