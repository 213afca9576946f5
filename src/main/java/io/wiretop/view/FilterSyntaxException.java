// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/** An invalid filter expression; {@link #position()} is the 0-based character index of the problem. */
public final class FilterSyntaxException extends Exception {
    private final int position;
    private final String reason;

    public FilterSyntaxException(String reason, int position) {
        super(reason + " at position " + position);
        this.reason = reason;
        this.position = position;
    }

    /** 0-based index into the expression where the problem was found. */
    public int position() {
        return position;
    }

    /** The message without the position suffix. */
    public String reason() {
        return reason;
    }
}
