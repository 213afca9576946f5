// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.host.ContainerIds;
import io.wiretop.host.ContainerRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-runtime harness and the one cgroup parser against real containers: a podman container,
 * two containers of a podman pod and a docker container under a kubepods-style cgroup parent are
 * named (id, runtime, pod) by {@link ContainerIds} from their /proc/PID/cgroup exactly as the
 * runtime reports them; after close() none of them, nor the dockerd, nor their cgroups remain.
 */
class RuntimesKernelIT {
    @Test
    void realContainersAreParsedAndEverythingIsRemoved() throws Exception {
        KernelHarness.requireRoot();
        Runtimes.Container plain, inPod, docked;
        String pod, uid = "3f1c2b9a-1111-4222-8333-" + String.format("%012x", ProcessHandle.current().pid());
        long dockerdPid;
        Path work;
        try (Runtimes rt = Runtimes.open("rtit")) {
            Runtimes.Podman podman = rt.podman();
            plain = podman.run("plain", List.of("--network", "none"), "sleep", "600");
            pod = podman.pod("pod");
            inPod = podman.run("pod-a", List.of("--pod", rt.tag() + "-pod"), "sleep", "600");
            Runtimes.Docker docker = rt.docker();
            String parent = "/kubepods/besteffort/pod" + uid;
            docker.ownsCgroup(parent);
            docked = docker.run("k8s", List.of("--network", "none", "--cgroup-parent", parent,
                    "--label", "io.kubernetes.pod.name=web-0"), "sleep", "600");
            dockerdPid = Long.parseLong(Files.readString(docker.socket().resolveSibling("dockerd.pid")).strip());
            work = docker.socket().getParent().getParent();

            assertEquals(new ContainerRef(plain.id(), "podman", null), ContainerIds.parse(plain.cgroup()), plain.cgroup());
            assertEquals(new ContainerRef(inPod.id(), "podman", pod), ContainerIds.parse(inPod.cgroup()), inPod.cgroup());
            assertEquals(new ContainerRef(docked.id(), null, uid), ContainerIds.parse(docked.cgroup()), docked.cgroup());
            assertEquals(docked.id(), ContainerIds.ofProcCgroup(Files.readString(Path.of("/proc/" + docked.pid() + "/cgroup"))));
            assertEquals(rt.tag() + "-plain", plain.name());
            assertTrue(ProcessHandle.of(dockerdPid).isPresent(), "our dockerd runs");
        }
        for (Runtimes.Container c : List.of(plain, inPod, docked)) {
            assertFalse(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false), c + " stopped");
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified" + c.cgroup())), c.cgroup() + " removed");
        }
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified/libpod_parent/" + pod)), "the pod's cgroup removed");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified/kubepods/besteffort/pod" + uid)), "the parent removed");
        assertFalse(ProcessHandle.of(dockerdPid).isPresent(), "our dockerd stopped");
        assertFalse(Files.exists(work), "work directory removed: " + work);
    }
}
