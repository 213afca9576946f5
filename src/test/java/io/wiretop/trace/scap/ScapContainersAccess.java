// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.host.ContainerMeta;

import java.io.IOException;

/** Test access to {@link ScapContainers}' package-private JSON. */
public final class ScapContainersAccess {
    private ScapContainersAccess() {
    }

    public static byte[] json(ContainerMeta m) throws IOException {
        return ScapContainers.json(m);
    }
}
