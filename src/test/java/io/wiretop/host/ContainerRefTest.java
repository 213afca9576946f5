// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Real cgroup paths of every runtime and layout (the podman, docker, kubepods and ctr ones as read
 * from /proc/PID/cgroup on this machine, see containers-facts.md; the systemd-driver and CRI-O,
 * LXC and nspawn forms as those runtimes write them): the container, its runtime and its pod.
 */
class ContainerRefTest {
    static final String C = "81ad4239aaa10b2a11612a9d0182c501e47a896b0b00ab7de067e5ae1f601cd7";
    static final String P = "c2dc27e06e98ba12e40e9abd680eeb837ad74d69cd866773f6568eb11a5e88e4";
    static final String UID = "3f1c2b9a-1111-4222-8333-444455556666";

    private static void is(String path, String id, String runtime, String pod) {
        assertEquals(new ContainerRef(id, runtime, pod), ContainerIds.parse(path), path);
    }

    @Test
    void docker() {
        is("/docker/" + C, C, "docker", null);                              // cgroupfs driver (measured)
        is("/system.slice/docker-" + C + ".scope", C, "docker", null);      // systemd driver
    }

    @Test
    void podman() {
        is("/libpod_parent/libpod-" + C, C, "podman", null);                 // cgroupfs (measured)
        is("/machine.slice/libpod-" + C + ".scope", C, "podman", null);     // systemd, rootful
        is("/machine.slice/libpod-" + C + ".scope/container", C, "podman", null); // with --cgroupns
        is("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + C + ".scope", C, "podman", null);
    }

    @Test
    void podmanPodsAreTheirPodNotTheirContainer() {
        // cgroupfs (measured): the pod directory is a bare 64-hex id, the container below it
        is("/libpod_parent/" + P + "/libpod-" + C, C, "podman", P);
        // systemd
        is("/machine.slice/machine-libpod_pod_" + P + ".slice/libpod-" + C + ".scope", C, "podman", P);
        is("/machine.slice/machine-libpod_pod_" + P + ".slice/libpod-" + C + ".scope/container", C, "podman", P);
        // the pod's own cgroup (conmon of its infra container) is no container
        assertNull(ContainerIds.parse("/libpod_parent/" + P));
        assertNull(ContainerIds.parse("/machine.slice/machine-libpod_pod_" + P + ".slice"));
    }

    @Test
    void monitorsAreNotInTheirContainer() {
        assertNull(ContainerIds.parse("/machine.slice/libpod-conmon-" + C + ".scope"));
        assertNull(ContainerIds.parse("/libpod_parent/" + P + "/libpod-conmon-" + C));
        assertNull(ContainerIds.parse("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID.replace('-', '_') + ".slice/crio-conmon-" + C + ".scope"));
        assertNull(ContainerIds.parse("/lxc.monitor.web1"));
        assertNull(ContainerIds.parse("/machine.slice/machine-web1.scope/supervisor"));
    }

    @Test
    void containerdAndCri() {
        is("/wt/" + C, C, "containerd", null);                               // ctr -n wt (measured)
        is("/system.slice/cri-containerd-" + C + ".scope", C, "containerd", null);
    }

    @Test
    void crio() {
        is("/machine.slice/crio-" + C + ".scope", C, "cri-o", null);
        is("/kubepods/besteffort/pod" + UID + "/crio-" + C, C, "cri-o", UID);
    }

    @Test
    void kubepodsCgroupfs() {
        // docker with --cgroup-parent /kubepods/besteffort/pod<uid> (measured): any CRI runtime writes this form
        is("/kubepods/besteffort/pod" + UID + "/" + C, C, null, UID);
        is("/kubepods/burstable/pod" + UID + "/" + C, C, null, UID);
        is("/kubepods/pod" + UID + "/" + C, C, null, UID);                  // guaranteed class
        is("/kubepods/besteffort/pod" + UID + "/libpod-" + C, C, "podman", UID); // podman --cgroup-parent (measured)
        assertNull(ContainerIds.parse("/kubepods/besteffort/pod" + UID));     // the pod's own cgroup
    }

    @Test
    void kubepodsSystemd() {
        String slice = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UID.replace('-', '_') + ".slice/";
        is(slice + "cri-containerd-" + C + ".scope", C, "containerd", UID);
        is(slice + "crio-" + C + ".scope", C, "cri-o", UID);
        is(slice + "docker-" + C + ".scope", C, "docker", UID);
        // guaranteed pods sit right under kubepods.slice
        is("/kubepods.slice/kubepods-pod" + UID.replace('-', '_') + ".slice/cri-containerd-" + C + ".scope",
                C, "containerd", UID);
    }

    @Test
    void lxc() {
        is("/lxc/web1", "web1", "lxc", null);                               // LXC 1-3
        is("/lxc/web1/init.scope", "web1", "lxc", null);
        is("/lxc.payload.web1", "web1", "lxc", null);                       // LXC 4+
        is("/lxc.payload.web1/system.slice/nginx.service", "web1", "lxc", null);
        assertNull(ContainerIds.parse("/user.slice/lxc/x"));                // "lxc" deeper down is a name, not the runtime's
    }

    @Test
    void nspawn() {
        is("/machine.slice/machine-web1.scope", "web1", "nspawn", null);
        is("/machine.slice/machine-my\\x2dbox.scope/payload", "my-box", "nspawn", null);
        assertNull(ContainerIds.parse("/machine.slice/machine-qemu\\x2d1\\x2dvm.scope")); // libvirt VM
    }

    @Test
    void theInnermostContainerWins() {
        // docker inside an LXC container; podman inside docker
        is("/lxc.payload.web1/docker/" + C, C, "docker", null);
        is("/docker/" + P + "/libpod_parent/libpod-" + C, C, "podman", null);
        assertEquals(java.util.List.of(P, C), ContainerIds.onPath("/docker/" + P + "/libpod_parent/libpod-" + C));
    }

    @Test
    void aHybridHostsProcCgroupNamesTheContainerAndPod() {
        String measured = "12:pids:/libpod_parent/" + P + "/libpod-" + C + "\n"
                + "9:name=systemd:/libpod_parent/" + P + "/libpod-" + C + "\n"
                + "0::/libpod_parent/" + P + "/libpod-" + C + "\n";
        assertEquals(new ContainerRef(C, "podman", P), ContainerIds.refOfProcCgroup(measured));
        assertEquals(C, ContainerIds.ofProcCgroup(measured));
        assertEquals("81ad4239aaa1", ContainerIds.shortId(C));
        assertEquals("web1", ContainerIds.shortId("web1"));
    }
}
