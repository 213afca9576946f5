// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/** A view file that cannot be used: the message is one line, "file: reason". */
public final class ViewLoadException extends Exception {
    private final String file;
    private final String reason;

    public ViewLoadException(String file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    /** The view file (path or classpath name) that is broken. */
    public String file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
