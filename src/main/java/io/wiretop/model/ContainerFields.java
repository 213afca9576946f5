// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.host.ContainerMeta;

import java.util.Set;

/**
 * The container fields of a process's or connection's row, the same for both: csysdig's
 * {@code container.*} and {@code k8s.*} names over the row's container id ("host" outside any) and
 * what its runtime said ({@link ContainerMeta}, null until it answered). With no runtime answer a
 * container is named by its id, as before names were known.
 */
public final class ContainerFields {
    /** The fields answered here. */
    public static final Set<String> FIELDS = Set.of("container.id", "container.name", "container.image",
            "container.type", "k8s.pod.name", "k8s.ns.name");

    private ContainerFields() {
    }

    /** The value of one of {@link #FIELDS} (null when the row has none: a host process has no image). */
    public static Object get(String field, String containerId, ContainerMeta meta) {
        boolean host = containerId == null || containerId.equals("host");
        return switch (field) {
            case "container.id" -> containerId;
            case "container.name" -> host || meta == null || meta.name() == null ? containerId : meta.name();
            case "container.image" -> host || meta == null ? null : meta.image();
            case "container.type" -> host || meta == null ? null : meta.runtime();
            case "k8s.pod.name" -> host || meta == null ? null : meta.pod();
            case "k8s.ns.name" -> host || meta == null ? null : meta.namespace();
            default -> null;
        };
    }
}
