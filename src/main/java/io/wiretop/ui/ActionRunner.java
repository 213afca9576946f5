// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.ActionDef;

/**
 * Runs a view action's command outside the screen (the real one suspends the terminal; tests record).
 * Called on the UI thread, which waits for it.
 */
public interface ActionRunner {
    /**
     * Runs {@code command} (already expanded for the selected row) for action {@code action}; asks for
     * confirmation first when the action says so. Returns a short message for the footer, or null.
     */
    String run(ActionDef action, String command);
}
