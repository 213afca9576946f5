// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.util.Map;

/**
 * What is known of one container: its full id always; name, image, runtime, pod and namespace when
 * a runtime answered (null until then). Values are the runtime's text, untrusted: escape before
 * printing them anywhere (text.SafeText).
 *
 * @param id the container's full id once a runtime answered; until then the id as the caller
 *           gave it (the 12-digit short id of the tables, an LXC or nspawn name)
 * @param name the runtime's container name, or null
 * @param image the image reference the container runs, or null
 * @param runtime "docker", "podman", "containerd", "cri-o", ... or null when unknown
 * @param pod the pod name (Kubernetes label or podman pod), or null
 * @param namespace the Kubernetes namespace, or null
 * @param labels the container's labels (empty when unknown)
 */
public record ContainerMeta(String id, String name, String image, String runtime, String pod, String namespace,
        Map<String, String> labels) {
    public ContainerMeta {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A container known only by its id (no runtime answered, or not yet). */
    public static ContainerMeta idOnly(String id) {
        return new ContainerMeta(id, null, null, null, null, null, Map.of());
    }
}
