// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Number options say "not a whole number" instead of Java's "is not a long", and a bad value is
 * reported as "-s abc: ..." (the option as tcpdump names it, then the value), like the checks that
 * run after parsing.
 */
final class NumberConverters {
    private NumberConverters() {
    }

    static void register(CommandLine cl) {
        CommandLine.ITypeConverter<Long> longs = NumberConverters::parseLong;
        CommandLine.ITypeConverter<Integer> ints = s -> {
            long v = parseLong(s);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new TypeConversionException("out of range");
            }
            return (int) v;
        };
        cl.registerConverter(Long.class, longs).registerConverter(long.class, longs)
                .registerConverter(Integer.class, ints).registerConverter(int.class, ints);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException(s.strip().matches("[+-]?\\d+") ? "out of range" : "not a whole number");
        }
    }

    /** The one-line description of a parse error. */
    static String describe(ParameterException ex) {
        if (ex.getCause() instanceof TypeConversionException t && ex.getArgSpec() instanceof OptionSpec o
                && ex.getValue() != null) {
            return o.shortestName() + " " + ex.getValue() + ": " + t.getMessage();
        }
        return ex.getMessage();
    }
}
