// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.ContainerDirectory;

/**
 * The container directory the commands use: the runtimes' client
 * ({@link io.wiretop.runtime.RuntimeDirectory}, the sockets named by the environment or the
 * defaults), one per process, made when a command first asks.
 */
final class RuntimeDirectory {
    private static ContainerDirectory system;

    private RuntimeDirectory() {
    }

    static synchronized ContainerDirectory system() {
        if (system == null) {
            system = io.wiretop.runtime.RuntimeDirectory.fromEnvironment(System.getenv());
        }
        return system;
    }
}
