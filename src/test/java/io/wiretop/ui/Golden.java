// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden screens under src/test/resources/golden/NAME.txt. A missing golden is written and the test
 * fails so it gets reviewed; -Dgolden.update=true rewrites all of them.
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void check(String name, String actual) throws IOException {
        Path p = DIR.resolve(name + ".txt");
        if (Boolean.getBoolean("golden.update") || !Files.exists(p)) {
            Files.createDirectories(DIR);
            boolean existed = Files.exists(p);
            Files.writeString(p, actual, StandardCharsets.UTF_8);
            if (!existed) {
                fail("golden " + p + " did not exist; written, review it and rerun");
            }
            return;
        }
        assertEquals(Files.readString(p, StandardCharsets.UTF_8), actual, "screen differs from golden " + p);
    }
}
