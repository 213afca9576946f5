// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.nio.file.Path;

/**
 * How the CLI starts the UI.
 *
 * @param startViewId   view shown first (null = the registry's default, "procs")
 * @param keymapName    "default", "nofkeys" or a path to a .keys file (null = default)
 * @param readonly      disables view actions (kill, renice...)
 * @param refreshMillis minimum time between two screen updates from new snapshots (0 = every snapshot);
 *                      the snapshot interval itself belongs to the source
 * @param initialFilter filter expression ANDed with every view, like csysdig's trailing filter (null = none)
 * @param logFile       where the UI logs while it owns the terminal (null = no log)
 */
public record UiOptions(String startViewId, String keymapName, boolean readonly, int refreshMillis,
                        String initialFilter, Path logFile) {

    public static UiOptions defaults() {
        return new UiOptions(null, "default", false, 0, null, null);
    }
}
