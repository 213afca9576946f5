// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real process with a hostile name and arguments, streaming over loopback: its executable is
 * called {@code wl ESC[2J BEL} (so comm and the exe path hold controls) and it runs with
 * {@code exec -a $'x\nPID: 1\nCmd: /usr/sbin/sshd\e[2J\e]0;pwn\a'}, which without escaping plants a
 * forged PID/Cmd block in pcapng comments and clears and retitles the terminal of whoever watches.
 * Checked on every output: {@code --raw}, {@code --json}, {@code capture -v} lines, {@code capture -w}
 * as tshark reads it, {@code capture -r} of that file (default and -v), and the TUI in tmux. The
 * kernel-side {@code --pname} filter is given the real name and must match it. Also text of user
 * view files (--list-views, error lines), which needs the jar but no kernel.
 */
class HostileTextKernelIT {
    static final String ARGV0 = "x\nPID: 1\nCmd: /usr/sbin/sshd\u001b[2J\u001b]0;pwn\u0007";
    /** The executable's name: the comm (15 bytes at most), with this run's number so --pname finds only it. */
    static final String COMM = "wl\u001b[2J\u0007" + ProcessHandle.current().pid() % 100_000;
    /** Ends every hostile command line, so leftovers of other runs are not mistaken for this one's. */
    static final String RUN = "run" + ProcessHandle.current().pid();
    static final String ARGS_SHOWN = "x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07 stream 12 0 0 " + RUN;
    static final String COMM_SHOWN = "wl\\x1b[2J\\x07" + ProcessHandle.current().pid() % 100_000;
    private static final Pattern PID_LINE = Pattern.compile("PID: \\d+");

    @Test
    void hostileNamesReachNoOutputRaw() throws Exception {
        KernelHarness.requireRoot();
        Path dir = KernelHarness.workDir().resolve("hostile");
        Files.createDirectories(dir);
        Path bin = hostileBinary(dir);
        Path pcap = dir.resolve("hostile.pcapng");
        Files.deleteIfExists(pcap);

        List<Process> started = new ArrayList<>();
        Process work = null;
        try {
            Process write = wiretop(dir, "write", "capture", "--pname", COMM, "-c", "40", "-w", pcap.toString());
            Process verbose = wiretop(dir, "verbose", "capture", "--pname", COMM, "-c", "6", "-v");
            started.add(write);
            started.add(verbose);
            for (String name : List.of("write", "verbose")) {
                awaitText(dir.resolve(name + ".err"), "capturing on", 90);
            }
            work = startHostile(bin, 12);
            Thread.sleep(1500);
            Process raw = wiretop(dir, "raw", "--raw", "-v", "procs", "-d", "1000", "-n", "3", "proc.exeline", "contains", RUN,
                    "and", "not", "proc.exeline", "contains", "java"); // not this wiretop: its command line has the words
            Process json = wiretop(dir, "json", "--json", "-v", "procs", "-d", "1000", "-n", "3", "proc.exeline", "contains", RUN,
                    "and", "not", "proc.exeline", "contains", "java"); // not this wiretop: its command line has the words
            started.add(raw);
            started.add(json);
            for (Process p : started) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "wiretop did not finish");
            }

            // --raw: one line per process (the parent and its two children), escaped
            String rawOut = text(dir, "raw.out");
            assertNoControls(rawOut);
            long rows = rawOut.lines().filter(l -> l.contains(RUN)).count();
            assertTrue(rows >= 3, rawOut + text(dir, "raw.err"));
            rawOut.lines().filter(l -> l.contains(RUN)).forEach(l -> assertTrue(l.endsWith(ARGS_SHOWN + " "), l));

            // --json: escaped as JSON escapes, the parser gets the real text
            String jsonOut = text(dir, "json.out");
            assertNoControls(jsonOut);
            int withArgv = 0;
            for (String line : jsonOut.split("\n")) {
                for (var row : KernelHarness.JSON.readTree(line).get("rows")) {
                    assertEquals(ARGV0 + " stream 12 0 0 " + RUN, row.get("cmdline").asText());
                    assertEquals(COMM, row.get("comm").asText());
                    withArgv++;
                }
            }
            assertTrue(withArgv >= 3, jsonOut);

            // capture -v: the context blocks are single lines, escaped
            String v = text(dir, "verbose.out");
            assertNoControls(v);
            assertTrue(v.contains("Process (pid ") && v.contains(", cmd " + bin.toAbsolutePath().toString()
                    .replace(COMM, COMM_SHOWN) + ", args " + ARGS_SHOWN + ")"), v);
            assertNoForgedLines(v);

            // the pcapng file as tshark shows it: one PID line per packet, Cmd and Args escaped
            List<String> frames = lines(KernelHarness.sh(60, "tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number"));
            assertEquals(40, frames.stream().filter(l -> l.matches("\\d+")).count(), "frames (tshark's stderr is mixed in)");
            List<String> tv = lines(KernelHarness.sh(60, "tshark", "-r", pcap.toString(), "-V"));
            assertEquals(40, tv.stream().filter(l -> PID_LINE.matcher(l.strip()).matches()).count());
            assertEquals(0, tv.stream().filter(l -> l.strip().equals("PID: 1")).count(), "no forged PID line");
            assertEquals(40 * 3, tv.stream().filter(l -> l.startsWith("Args: ")).count(),
                    "Args once per packet (tshark prints each comment thrice)");
            for (String l : tv) {
                String value = l.endsWith("]") ? l.substring(0, l.length() - 1) : l;
                if (l.startsWith("Args: ")) {
                    assertEquals("Args: " + ARGS_SHOWN, value);
                } else if (l.startsWith("Cmd: ")) {
                    assertTrue(value.endsWith("/" + COMM_SHOWN), value);
                }
            }
            assertNoControls(String.join("\n", tv));

            // read back: the model has the real text again, the lines show it escaped once
            String back = KernelHarness.sh(60, "java", "-jar", KernelHarness.jar().toString(), "capture", "-r",
                    pcap.toString());
            assertNoControls(back);
            assertEquals(40, back.lines().filter(l -> l.contains(" " + COMM_SHOWN + ".")).count(), back);
            String backV = KernelHarness.sh(60, "java", "-jar", KernelHarness.jar().toString(), "capture", "-r",
                    pcap.toString(), "-v");
            assertNoControls(backV);
            assertEquals(40, backV.lines().filter(l -> l.startsWith("    Process (pid ")
                    && l.endsWith(", args " + ARGS_SHOWN + ")")).count(), backV);
            assertNoForgedLines(backV);
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
            }
            if (work != null) {
                stop(work);
            }
        }
    }

    /**
     * The TUI in a real terminal (tmux): the hostile row is drawn escaped, in its columns, and the
     * terminal is neither cleared nor retitled ("pwn") by it.
     */
    @Test
    void theScreenInARealTerminalShowsTheEscapedForm() throws Exception {
        KernelHarness.requireRoot();
        Path dir = KernelHarness.workDir().resolve("hostile");
        Files.createDirectories(dir);
        Process work = startHostile(hostileBinary(dir), 40);
        String session = "wiretop-hostile-it";
        try {
            tmux("kill-session", "-t", session);
            tmux("new-session", "-d", "-s", session, "-x", "220", "-y", "20", "bash --norc --noprofile");
            tmux("select-pane", "-t", session, "-T", "before");
            tmux("send-keys", "-t", session, "cd " + Path.of(System.getProperty("wiretop.sources", ".")).toAbsolutePath()
                    + " && PS1='$ ' && ./wiretop -d 500 proc.exeline contains " + RUN + " and not proc.exeline contains java", "Enter");
            String shown = "x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07 stream 40 0 0 " + RUN;
            long deadline = System.currentTimeMillis() + 240_000;
            String screen = "";
            while (System.currentTimeMillis() < deadline) {
                screen = tmux("capture-pane", "-t", session, "-p");
                if (screen.lines().filter(l -> l.endsWith(shown)).count() >= 3) {
                    break;
                }
                Thread.sleep(300);
            }
            List<String> rows = screen.lines().filter(l -> l.contains("pwn")).toList();
            assertEquals(3, rows.stream().filter(l -> l.endsWith(shown)).count(), screen);
            int at = rows.get(0).indexOf(shown);
            assertTrue(rows.stream().allMatch(l -> l.indexOf(shown) == at), "Command in one column:\n" + screen);
            assertTrue(screen.contains("Viewing: Processes"), "not cleared:\n" + screen);
            assertEquals("before", tmux("display", "-p", "-t", session, "#{pane_title}").strip(), "not retitled");
            tmux("send-keys", "-t", session, "q");
            long end = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < end
                    && !tmux("display", "-p", "-t", session, "#{alternate_on}").strip().equals("0")) {
                Thread.sleep(200);
            }
            assertEquals("0", tmux("display", "-p", "-t", session, "#{alternate_on}").strip(), "wiretop quit");
        } finally {
            tmux("kill-session", "-t", session);
            stop(work);
        }
    }

    /** Stops the workload and its forked children (they would stream on, orphaned); removes its binary. */
    private static void stop(Process work) throws Exception {
        work.descendants().forEach(ProcessHandle::destroyForcibly);
        work.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(KernelHarness.workDir().resolve("hostile").resolve(COMM));
    }

    /** Text from user view files: --list-views and the error line for a broken file show it escaped. */
    @Test
    void viewFileTextIsShownEscaped() throws Exception {
        Path views = KernelHarness.workDir().resolve("hostile-views-" + RUN);
        Files.createDirectories(views);
        try {
            Files.writeString(views.resolve("evil.yaml"), "id: evil\nname: Evil\u202eLIVE\nsource: processes\n"
                    + "type: table\ndescription: pwn \u202eexe.txt\ncolumns:\n  - name: PID\n    field: proc.pid\n"
                    + "    width: 8\n    is_key: true\n");
            String list = run(views, "--list-views");
            assertNoControls(list);
            assertTrue(list.contains("evil             Evil\\u202eLIVE       pwn \\u202eexe.txt"), list);
            Files.delete(views.resolve("evil.yaml"));
            Files.writeString(views.resolve("e\u001b]0;pwn\u0007.yaml"), "x: [\n");
            String err = run(views, "--list-views");
            assertNoControls(err);
            assertTrue(err.contains("/e\\x1b]0;pwn\\x07.yaml: line 2, column 1: invalid YAML"), err);
            assertEquals(1, err.lines().count(), err);
        } finally {
            try (var files = Files.list(views)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(views);
        }
    }

    private static String run(Path viewsDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", KernelHarness.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("WIRETOP_VIEWS_DIR", viewsDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** The workload under a name with ESC and BEL in it (comm and the exe path hold them). */
    private static Path hostileBinary(Path dir) throws Exception {
        Path bin = dir.resolve(COMM);
        Files.copy(KernelHarness.workload(), bin, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** Runs it with the forged argv[0], streaming over loopback for this long. */
    private static Process startHostile(Path bin, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec -a \"$A0\" \"$BIN\" stream " + seconds + " 0 0 " + RUN)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("A0", ARGV0);
        pb.environment().put("BIN", bin.toAbsolutePath().toString());
        return pb.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void killTmuxServer() throws Exception {
        tmux("kill-server");
    }

    /** tmux on a server socket of this test's own (see TmuxShell.tmuxOn). */
    private static String tmux(String... args) throws Exception {
        return TmuxShell.tmuxOn("wiretop-hostile-" + ProcessHandle.current().pid(), args);
    }

    private static Process wiretop(Path dir, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar",
                KernelHarness.jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private static void awaitText(Path file, String text, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline && !(Files.exists(file) && Files.readString(file).contains(text))) {
            Thread.sleep(200);
        }
        assertTrue(Files.readString(file).contains(text), file + ": " + Files.readString(file));
    }

    private static String text(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static List<String> lines(String s) {
        return s.lines().toList();
    }

    /** No ESC, BEL, CR, other C0 controls (but newline and tab), DEL, C1 or bidi controls anywhere in the output. */
    private static void assertNoControls(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            int at = i;
            assertFalse(bad, () -> "raw U+" + Integer.toHexString(c) + " at " + at + ": "
                    + s.substring(Math.max(0, at - 80), Math.min(s.length(), at + 20)));
        }
    }

    /** No output line starts as a forged context line would. */
    private static void assertNoForgedLines(String s) {
        for (String l : s.split("\n")) {
            assertFalse(l.startsWith("PID: ") || l.startsWith("Cmd: ") || l.strip().startsWith("Cmd: /usr/sbin/sshd"), l);
        }
    }
}
