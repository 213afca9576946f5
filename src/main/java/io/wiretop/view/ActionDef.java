// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An external command run on the selected row (csysdig action). {@code command} contains
 * {@code %field} tokens (e.g. {@code kill %proc.pid}) replaced by the row's values.
 */
public record ActionDef(String hotkey, String command, String description, boolean askConfirmation,
                        boolean waitFinish) {

    /** A %field token: the field name runs to the first character that cannot be in a field name. */
    static final Pattern TOKEN = Pattern.compile("%([A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_])");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.:/@=+,%-]+");

    /** The field names the command refers to. */
    public java.util.List<String> fields() {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = TOKEN.matcher(command);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The command for a row; values are shell-quoted when they hold characters a shell would interpret. */
    public String commandFor(TableRow row) {
        return expand(command, row::value);
    }

    /**
     * Replaces each %field with its value (shell-quoted when needed; a missing value becomes '').
     * Quoting keeps a value one word for /bin/sh whatever it holds ({@code $(..)}, {@code ;}, quotes,
     * newlines); a value starting with '-' or '+' is refused, since the command would read it as an
     * option ({@code less +!cmd} runs cmd) and no pid, address or absolute path starts so.
     *
     * @throws IllegalArgumentException for such a value (the message says which)
     */
    public static String expand(String template, Function<String, Object> values) {
        Matcher m = TOKEN.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = values.apply(m.group(1));
            String text = v == null ? "" : valueText(v);
            if (text.startsWith("-") || text.startsWith("+")) {
                throw new IllegalArgumentException("not run: the value of %" + m.group(1) + " starts with '"
                        + text.charAt(0) + "' and would be read as an option");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(shellQuote(text)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String valueText(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    /** Quotes a value for /bin/sh unless it is made only of harmless characters. */
    public static String shellQuote(String s) {
        if (!s.isEmpty() && SHELL_SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
