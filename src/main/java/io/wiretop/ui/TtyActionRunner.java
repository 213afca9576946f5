// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.text.SafeText;
import io.wiretop.view.ActionDef;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action like csysdig does: leaves the screen, optionally asks
 * {@code Confirm command '<cmd>'? [y/N]}, runs the command through /bin/sh on the terminal, optionally
 * waits for Enter, then gives the screen back. While the command runs, Ctrl-C belongs to it
 * ({@link #running} tells the signal handler not to quit wiretop). UI thread only.
 */
final class TtyActionRunner implements ActionRunner {
    private final TerminalSession session;
    private final UiLog log;
    final AtomicBoolean running = new AtomicBoolean();

    TtyActionRunner(TerminalSession session, UiLog log) {
        this.session = session;
        this.log = log;
    }

    @Override
    public String run(ActionDef action, String command) {
        try {
            session.suspend();
        } catch (IOException e) {
            log.error("suspend failed", e);
            return "cannot leave the screen: " + e.getMessage();
        }
        PrintStream out = session.ttyOut();
        running.set(true);
        try {
            out.println();
            if (action.askConfirmation()) {
                // the command holds row values (a process's arguments): shown escaped, run as they are
                out.print("Confirm command '" + SafeText.escape(command) + "'? [y/N] ");
                out.flush();
                String answer = readLine(session.ttyIn());
                if (!answer.trim().equalsIgnoreCase("y")) {
                    return "cancelled: " + command;
                }
            }
            log.info("action " + action.hotkey() + ": " + SafeText.escape(command));
            Process p = new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start();
            int rc = p.waitFor();
            if (action.waitFinish()) {
                out.print("Command finished. Press ENTER to return to wiretop.");
                out.flush();
                readLine(session.ttyIn());
            }
            return rc == 0 ? null : "'" + command + "' exited with status " + rc;
        } catch (IOException e) {
            log.error("action failed", e);
            return "cannot run '" + command + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            running.set(false);
            try {
                session.resume();
            } catch (IOException e) {
                log.error("resume failed", e);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && b != '\r') {
            sb.append((char) b);
        }
        return sb.toString();
    }
}
