// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.text.SafeText;
import picocli.CommandLine;

/**
 * Entry point: parses the command line and maps every failure to one line on stderr and a
 * non-zero exit code (2 for usage errors, 1 for runtime errors), never a stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs wiretop and returns its exit code (tests call this without exiting the JVM). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TopCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("wiretop: " + ex.getMessage() + " (see wiretop --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            System.err.println("wiretop: " + oneLine(ex));
            return 1;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        // messages can quote text from files and processes: one line, and nothing that drives a terminal
        return SafeText.printable(m.replace('\n', ' '));
    }
}
