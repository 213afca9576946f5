// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where cgroup v2 is mounted, as /proc/self/mountinfo says; the cgroups of a container, found by walking the tree. */
class CgroupV2Test {
    @TempDir
    Path root;

    @Test
    void cgroupV2MountIsFoundInMountInfo() throws Exception {
        String hybrid = "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs ro\n"
                + "36 30 0:31 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
        assertEquals("/sys/fs/cgroup/unified", CgroupV2.fromMountInfo(List.of(hybrid.split("\n"))));
    }

    @Test
    void aContainersCgroupsAreItsOwnAndAllBelowThem() throws Exception {
        String a = ContainerIdsTest.A, b = ContainerIdsTest.B;
        Path scope = Files.createDirectories(root.resolve("system.slice/docker-" + a + ".scope"));
        Path inner = Files.createDirectories(scope.resolve("init.scope"));
        Path nested = Files.createDirectories(scope.resolve("docker/" + b));
        Files.createDirectories(root.resolve("user.slice/session-1.scope"));
        Files.writeString(scope.resolve("cgroup.procs"), "1\n"); // files are not cgroups
        List<CgroupV2.Dir> tree = CgroupV2.tree(root);
        assertEquals(8, tree.size(), tree.toString()); // root, system.slice, scope, init, docker, b, user, session
        assertEquals("", tree.get(0).path());
        // a prefix of a's id: its scope and everything below, the container it runs (b) included
        assertEquals(Set.of(CgroupV2.inode(scope), CgroupV2.inode(inner), CgroupV2.inode(scope.resolve("docker")),
                CgroupV2.inode(nested)), CgroupV2.containerCgroups(tree, a.substring(0, 5)));
        assertEquals(Set.of(CgroupV2.inode(nested)), CgroupV2.containerCgroups(tree, b));
        assertEquals(Set.of(), CgroupV2.containerCgroups(tree, "fff"));
    }
}
