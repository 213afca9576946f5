// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.Filter;

/**
 * One drill-down step: the state of the view left behind (restored by Backspace) and the selection it
 * pushed ({@code proc.pid=1234}), whose key field decides which views F2 offers below it. Immutable.
 */
record DrillFrame(ViewState saved, Filter selection, String selectionField) {
}
