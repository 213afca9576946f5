// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.text.SafeText;
import picocli.CommandLine;

/**
 * Entry point: parses the command line and maps every failure to one line on stderr and a
 * non-zero exit code (2 for usage errors, 1 for runtime errors), never a stack trace.
 * docs/flags.md lists every option's bad values and what they print.
 */
public final class Main {
    /** Exit code of a bad command line (picocli's parse errors and {@link UsageError}). */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a failure at run time (no privileges, a file that cannot be written...). */
    public static final int EXIT_FAILURE = 1;

    private Main() {
    }

    public static void main(String[] args) {
        io.wiretop.sys.Stdout.useFileDescriptor();
        System.exit(run(args));
    }

    /** Runs wiretop and returns its exit code (tests call this without exiting the JVM). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TopCommand());
        NumberConverters.register(cl);
        cl.setParameterExceptionHandler((ex, a) -> {
            String help = ex.getCommandLine().getCommandSpec().qualifiedName();
            System.err.println("wiretop: " + NumberConverters.describe(ex) + " (see " + help + " --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            System.err.println("wiretop: " + oneLine(ex));
            return ex instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
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
