// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the cgroup v2 mount point (e.g. /sys/fs/cgroup or, on hybrid hosts, /sys/fs/cgroup/unified). */
public final class CgroupV2 {
    private CgroupV2() {
    }

    /** The first cgroup2 mount in /proc/self/mountinfo; a clear exception when there is none. */
    public static String mountPoint() throws IOException {
        return fromMountInfo(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    static String fromMountInfo(List<String> lines) throws IOException {
        for (String line : lines) {
            // "36 25 0:31 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                return before[4].replace("\\040", " ");
            }
        }
        throw new IOException("no cgroup v2 filesystem is mounted (packet capture attaches to the cgroup v2 root)");
    }
}
