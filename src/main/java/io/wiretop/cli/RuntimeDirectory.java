// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.ContainerDirectory;

import java.util.ServiceLoader;

/**
 * The container directory the commands use: the first {@link ContainerDirectory} provider on the
 * class path (META-INF/services), else one that knows ids only. The runtimes' client registers
 * itself here; kernel tests put a directory that asks the runtimes' command-line tools in front.
 */
final class RuntimeDirectory {
    private static ContainerDirectory system;

    private RuntimeDirectory() {
    }

    static synchronized ContainerDirectory system() {
        if (system == null) {
            system = ServiceLoader.load(ContainerDirectory.class).findFirst().orElse(ContainerDirectory.idsOnly());
        }
        return system;
    }
}
