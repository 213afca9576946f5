// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** wiretop's version as the build wrote it (the jar's Maven properties, from the pom): wiretop_build_info's label. */
final class BuildInfo {
    private BuildInfo() {
    }

    /** The version, or "unknown" when not run from the built jar (tests on target/classes). */
    static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/META-INF/maven/io.wiretop/wiretop/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
