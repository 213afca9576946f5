// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.trace.CaptureFileException;
import java.util.List;
import java.util.Map;

/**
 * Process-list (PL) entries of every version: V2 adds memory and page faults, V3 env, V4 vtid/vpid
 * and cgroups, V5 root, V6 sid, V7 exepath, V8 vpgid, V9 a per-entry length whose spare room may
 * hold loginuid and exe_writable (libscap's {@code scap_read_proclist}).
 */
final class ProcessListParser {

    private ProcessListParser() {
    }

    /** The entries of a process-list block of version v (1..9), whose body the cursor reads. */
    static void read(BodyCursor c, int v, Map<Long, ScapThread> threads) throws CaptureFileException {
        while (c.remaining() >= 4) {
            int start = c.position();
            long len = v == 9 ? c.u32("entry length") : 0; // includes itself
            if (v == 9 && len > c.remaining() + 4L) {
                throw c.error("entry length " + len + " runs past the block");
            }
            long tid = c.i64("tid");
            long pid = c.i64("pid");
            long ptid = c.i64("ptid");
            long sid = v >= 6 ? c.i64("sid") : -1;
            long vpgid = v >= 8 ? c.i64("vpgid") : -1;
            String comm = c.str("comm", BodyCursor.MAX_PATH);
            String exe = c.str("exe", BodyCursor.MAX_PATH);
            String exePath = v >= 7 ? c.str("exepath", BodyCursor.MAX_PATH) : "";
            List<String> args = c.strings("args", BodyCursor.MAX_ARGS);
            String cwd = c.str("cwd", BodyCursor.MAX_PATH);
            long fdLimit = c.i64("fdlimit");
            long flags = c.u32("flags");
            long uid = c.u32("uid");
            long gid = c.u32("gid");
            long vmSize = 0, vmRss = 0, vmSwap = 0, pfMajor = 0, pfMinor = 0, vtid = -1, vpid = -1;
            List<String> env = List.of();
            List<String> cgroups = List.of();
            String root = "";
            if (v >= 2) {
                vmSize = c.u32("vmsize");
                vmRss = c.u32("vmrss");
                vmSwap = c.u32("vmswap");
                pfMajor = c.i64("pfmajor");
                pfMinor = c.i64("pfminor");
            }
            if (v >= 3) {
                env = c.strings("env", BodyCursor.MAX_ARGS);
            }
            if (v >= 4) {
                vtid = c.i64("vtid");
                vpid = c.i64("vpid");
                cgroups = c.strings("cgroups", BodyCursor.MAX_ARGS);
            }
            if (v >= 5) {
                root = c.str("root", BodyCursor.MAX_PATH);
            }
            int loginUid = -1;
            boolean exeWritable = false;
            if (v == 9) {
                int end = start + (int) len;
                if (c.position() > end) {
                    throw c.error("entry of thread " + tid + " has length " + len + " but its fields take "
                            + (c.position() - start));
                }
                // fields added after V9 was frozen are read only when the entry has room for them
                if (c.position() + 4 <= end) {
                    loginUid = (int) c.u32("loginuid");
                }
                if (c.position() + 1 <= end) {
                    exeWritable = c.u8("exe_writable") != 0;
                }
                c.seek(end);
            }
            threads.put(tid, new ScapThread(tid, pid, ptid, sid, vpgid, comm, exe, exePath, args, cwd, fdLimit,
                    flags, uid, gid, vmSize, vmRss, vmSwap, pfMajor, pfMinor, env, vtid, vpid, cgroups, root,
                    loginUid, exeWritable));
        }
    }
}
