// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.ContainerDirectory;

import java.util.ServiceLoader;

/**
 * The container directory the commands use: the first {@link ContainerDirectory} provider on the
 * class path (META-INF/services), else the runtimes' client ({@link io.wiretop.runtime.RuntimeDirectory},
 * the sockets named by the environment or the defaults).
 */
final class RuntimeDirectory {
    private static ContainerDirectory system;

    private RuntimeDirectory() {
    }

    static synchronized ContainerDirectory system() {
        if (system == null) {
            system = ServiceLoader.load(ContainerDirectory.class).findFirst().orElseGet(() -> io.wiretop.runtime.RuntimeDirectory.fromEnvironment(System.getenv()));
        }
        return system;
    }
}
