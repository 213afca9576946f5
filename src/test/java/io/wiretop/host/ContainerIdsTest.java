// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every cgroup path form a container runtime writes names the same container id. */
class ContainerIdsTest {
    static final String A = "4f1c0a7e3b2d5c6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";
    static final String B = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void everyRuntimeFormNamesItsId() {
        for (String path : List.of(
                "/docker/" + A,                                            // docker, cgroupfs driver
                "/system.slice/docker-" + A + ".scope",                    // docker, systemd driver
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1f2e_3d4c.slice/cri-containerd-"
                        + A + ".scope",                                    // containerd under kubernetes
                "/kubepods/burstable/pod1f2e3d4c-0000-1111-2222-333344445555/" + A, // kubelet, cgroupfs driver
                "/machine.slice/libpod-" + A + ".scope/container",         // podman
                "/kubepods.slice/crio-" + A + ".scope")) {                 // cri-o
            assertEquals(A, ContainerIds.ofPath(path), path);
        }
    }

    @Test
    void aNestedContainerIsTheInnermost() {
        String path = "/docker/" + A + "/docker/" + B;
        assertEquals(List.of(A, B), ContainerIds.onPath(path));
        assertEquals(B, ContainerIds.ofPath(path));
    }

    @Test
    void noContainerIsNull() {
        assertNull(ContainerIds.ofPath("/user.slice/user-1000.slice/session-2.scope"));
        assertNull(ContainerIds.ofPath(""));
        // 63 or 65 hex digits are not an id (a hash in a name, not a container)
        assertNull(ContainerIds.ofPath("/x-" + A.substring(1) + ".scope"));
        assertNull(ContainerIds.ofPath("/x-" + A + "0.scope"));
        assertNull(ContainerIds.ofPath("/docker/" + A.toUpperCase()));
    }

    @Test
    void aProcessIsInTheContainerOfItsFirstLineThatNamesOne() {
        String hybrid = "12:memory:/docker/" + A + "\n"
                + "11:cpu,cpuacct:/docker/" + A + "\n"
                + "1:name=systemd:/docker/" + B + "\n"
                + "0::/system.slice/containerd.service\n";
        assertEquals(A, ContainerIds.ofProcCgroup(hybrid));
        assertEquals(B, ContainerIds.ofProcCgroup("0::/init.scope\n0::/system.slice/docker-" + B + ".scope\n"));
        assertNull(ContainerIds.ofProcCgroup("0::/user.slice/user-0.slice/session-1.scope\n"));
    }

    @Test
    void aUserNamesAContainerByOneTo64HexDigits() {
        assertTrue(ContainerIds.isIdPrefix("4F1C"));
        assertTrue(ContainerIds.isIdPrefix(A));
        assertFalse(ContainerIds.isIdPrefix(A + "0"));
        assertFalse(ContainerIds.isIdPrefix(""));
        assertFalse(ContainerIds.isIdPrefix("4f1c.*"));
    }

    @Test
    void theShortIdIsTwelveDigits() {
        assertEquals("4f1c0a7e3b2d", ContainerIds.shortId(A));
        assertEquals("abc", ContainerIds.shortId("abc"));
    }
}
