// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

/**
 * Names containers by their id. {@link #lookup} never blocks the caller (the engine, the capture
 * loop, the UI): it answers from a cache, and a container not yet asked about is looked up off the
 * caller's thread, its answer there on a later call. With no runtime reachable every answer is
 * {@link ContainerMeta#idOnly}.
 */
public interface ContainerDirectory {
    /** What is known now of the container with this full id (never null). */
    ContainerMeta lookup(String id);

    /** A directory that knows ids only: no runtime is asked. */
    static ContainerDirectory idsOnly() {
        return ContainerMeta::idOnly;
    }
}
