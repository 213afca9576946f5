// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

/**
 * A container as its cgroup path names it ({@link ContainerIds#parse}): what can be known without
 * asking a runtime. The runtime is a hint from the path's form (docker-ID.scope is docker's), used to
 * ask the likely runtime first; null when the form is shared (a bare id under /kubepods is any
 * CRI runtime's).
 *
 * @param id the container id: 64 hex digits, or the name for LXC and systemd-nspawn containers
 *           (directory text, untrusted: escape before printing)
 * @param runtime "docker", "podman", "containerd", "cri-o", "lxc", "nspawn", or null when unknown
 * @param pod the pod the container belongs to: a Kubernetes pod uid or a podman pod id; null when none
 */
public record ContainerRef(String id, String runtime, String pod) {
    /** The short form of the id (the 12 digits docker prints; names are kept whole). */
    public String shortId() {
        return ContainerIds.shortId(id);
    }
}
