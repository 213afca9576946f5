// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

/**
 * What /proc/[pid]/task/[tid]/status and stat say about one thread beyond {@link io.wiretop.model.ProcStat}:
 * ids in the process's own pid namespace, session, real uid/gid, memory and page faults.
 *
 * @param vtid the thread id in its innermost pid namespace (last NSpid value)
 * @param vpid the thread group id there (last NStgid value)
 */
public record TaskStatus(long tgid, long ppid, long sid, long pgid, long uid, long gid, long vtid, long vpid,
                         long vmSizeKb, long vmRssKb, long vmSwapKb, long minorFaults, long majorFaults,
                         long userTicks, long systemTicks) {
}
