// SPDX-License-Identifier: Apache-2.0
/**
 * How the headless modes meet the operating system at their edges: the stop signals (SIGINT,
 * SIGTERM, SIGHUP) turned into a clean stop of the main loop, and standard output written through
 * its file descriptor so that a closed pipe or a full disk is seen, and said, instead of swallowed.
 */
package io.wiretop.sys;
