// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of the tables in docs/flags.md: the command line, the lines it prints on stderr, its
 * exit code and where it is tested. The document is the test's data, so the two cannot drift apart.
 */
public record FlagsTable(String text, Map<String, String> env, List<String> args, List<String> stderr, int exit,
                         String testedBy) {
    public static final Path DOC = Path.of("docs/flags.md");
    private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern ENV = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\\S*)");

    /** Every table row of docs/flags.md whose last column is testedBy (null: every row). */
    public static List<FlagsTable> rows(String testedBy) throws IOException {
        List<FlagsTable> out = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
            if (cells.length != 4) {
                throw new IllegalStateException("docs/flags.md: a row needs 4 cells: " + line);
            }
            FlagsTable row = parse(cells);
            if (testedBy == null || row.testedBy().equals(testedBy)) {
                out.add(row);
            }
        }
        return out;
    }

    private static FlagsTable parse(String[] cells) {
        Matcher m = FIRST_CODE.matcher(cells[0]);
        if (!m.find()) {
            throw new IllegalStateException("no command line in " + cells[0]);
        }
        String cmd = m.group(1);
        Map<String, String> env = new LinkedHashMap<>();
        List<String> words = words(cmd);
        while (!words.isEmpty() && ENV.matcher(words.get(0)).matches()) {
            Matcher e = ENV.matcher(words.remove(0));
            e.matches();
            env.put(e.group(1), e.group(2));
        }
        if (words.isEmpty() || !words.get(0).equals("wiretop")) {
            throw new IllegalStateException("a command line starts with wiretop: " + cmd);
        }
        words.remove(0);
        List<String> stderr = new ArrayList<>();
        for (String part : cells[1].split("<br>")) {
            String p = part.strip();
            if (!p.startsWith("`") || !p.endsWith("`")) {
                throw new IllegalStateException("stderr lines are in backquotes: " + cells[1]);
            }
            stderr.add(p.substring(1, p.length() - 1));
        }
        return new FlagsTable(cmd, env, words, stderr, Integer.parseInt(cells[2].strip()), cells[3].strip());
    }

    /** Splits on spaces; '' is an empty word, as in a shell. */
    private static List<String> words(String cmd) {
        List<String> out = new ArrayList<>();
        for (String w : cmd.trim().split(" +")) {
            out.add(w.equals("''") ? "" : w);
        }
        return out;
    }

    /** The arguments with $TMP replaced by a directory. */
    public List<String> args(Path tmp) {
        return args.stream().map(a -> a.replace("$TMP", tmp.toString())).toList();
    }

    @Override
    public String toString() {
        return text;
    }
}
