// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

/** A keymap that cannot be loaded; the message is one line naming the file and line. */
public final class KeymapException extends Exception {
    public KeymapException(String message) {
        super(message);
    }
}
