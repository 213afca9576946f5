// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes failure details (libbpf's log, verifier output) to a log file instead of the terminal. */
final class UiLogHolder {
    static final Path LOG = Path.of(System.getProperty("java.io.tmpdir"), "wiretop.log");

    private UiLogHolder() {
    }

    static void detail(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        try {
            Files.writeString(LOG, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.err.println("wiretop: details in " + LOG);
        } catch (IOException e) {
            // the one-line error is still printed; details are a bonus
        }
    }
}
