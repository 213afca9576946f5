// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.List;

/**
 * A thread that existed when the capture started (one process-list entry). Fields a block
 * version lacks hold libscap's defaults: -1 for sid, vpgid, vtid, vpid and loginuid, 0 or "" else.
 * Strings are untrusted text from the file.
 *
 * @param args    argv[1..]
 * @param flags   PPM_CL_* bits (8193 for a secondary thread)
 * @param vmSizeKb virtual size, kB (also vmRssKb, vmSwapKb)
 * @param env     K=V items
 * @param cgroups subsys=path items
 */
public record ScapThread(long tid, long pid, long ptid, long sid, long vpgid, String comm, String exe,
                         String exePath, List<String> args, String cwd, long fdLimit, long flags, long uid,
                         long gid, long vmSizeKb, long vmRssKb, long vmSwapKb, long pageFaultsMajor,
                         long pageFaultsMinor, List<String> env, long vtid, long vpid, List<String> cgroups,
                         String root, int loginUid, boolean exeWritable) {
}
