// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

/** A failure the user can fix; its message is the one line wiretop prints before exiting with 1. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
