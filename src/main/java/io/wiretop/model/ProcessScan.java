// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over /proc at a tick: the live processes, optionally their threads, and the TCP ports
 * in LISTEN state (to tell the server side of a connection).
 *
 * @param threads per process, the stat of each thread; null when threads were not scanned
 */
public record ProcessScan(Map<ProcessId, ProcStat> processes, Map<ProcessId, List<ProcStat>> threads,
                          Set<Integer> listeningPorts) {
}
