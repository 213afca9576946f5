// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where cgroup v2 is mounted, as /proc/self/mountinfo says. */
class CgroupV2Test {
    @Test
    void cgroupV2MountIsFoundInMountInfo() throws Exception {
        String hybrid = "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs ro\n"
                + "36 30 0:31 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
        assertEquals("/sys/fs/cgroup/unified", CgroupV2.fromMountInfo(java.util.List.of(hybrid.split("\n"))));
    }
}
