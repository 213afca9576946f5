// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

/** The process has no terminal to draw on; the message is the one-line error to print. */
public final class NoTtyException extends Exception {
    public NoTtyException(String message) {
        super(message);
    }
}
