// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

/**
 * A bad command line found after parsing (a value out of range, options that do not go together):
 * its message is the one line wiretop prints, naming the option, the value and what is allowed;
 * the exit code is 2, as for the errors picocli finds while parsing.
 */
public final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
