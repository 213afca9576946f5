// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

/**
 * Bounds a pcap-filter expression before libpcap sees it. libpcap's code generator and optimizer
 * recurse once per 'and'/'or' and grow worse than quadratically: a 1000-term chain takes
 * seconds to minutes to compile (more than tcpdump users wait for) and 3000 terms overflow a 1 MiB native stack, which kills the
 * JVM with SIGSEGV instead of giving an error. tcpdump's own limit (bison's 10000 nesting
 * levels, "memory exhausted") is kept as the parse error it is.
 */
final class PcapExpressionBounds {
    /** Most 'and'/'or' operators accepted: libpcap compiles 256 'host' terms in about 3 s, 500 in 25 s. */
    static final int MAX_OPERATORS = 256;
    /** Deepest parenthesis nesting accepted, the same bound as wiretop's own filter language. */
    static final int MAX_DEPTH = 256;

    private PcapExpressionBounds() {
    }

    /** @throws IllegalArgumentException one line saying what is over which bound, and where */
    static void check(String expr) {
        int depth = 0, operators = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '(' && ++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("invalid filter: nested deeper than " + MAX_DEPTH
                        + " levels at column " + (i + 1));
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if ((c == '&' || c == '|') && i + 1 < expr.length() && expr.charAt(i + 1) == c) {
                operators++;
                i++;
            } else if (Character.isLetter(c) && (i == 0 || !isWordChar(expr.charAt(i - 1)))) {
                int end = i;
                while (end < expr.length() && isWordChar(expr.charAt(end))) {
                    end++;
                }
                String w = expr.substring(i, end);
                if (w.equals("and") || w.equals("or")) {
                    operators++;
                }
                i = end - 1;
            }
            if (operators > MAX_OPERATORS) {
                throw new IllegalArgumentException("invalid filter: more than " + MAX_OPERATORS
                        + " 'and'/'or' operators (at column " + (i + 1) + "); libpcap would take minutes to compile it");
            }
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':';
    }

    /** An expression as quoted in a message: whole when short, else its start and its length. */
    static String quoted(String expr) {
        return expr.length() <= 100 ? "\"" + expr + "\""
                : "\"" + expr.substring(0, 60) + "...\" (" + expr.length() + " characters)";
    }
}
