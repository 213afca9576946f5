// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes SIGTERM, SIGHUP and SIGINT to the UI's quit path instead of the JVM's default (which exits
 * without giving the UI thread a chance to restore the terminal). Uses sun.misc.Signal through
 * reflection, as lanterna does for SIGWINCH, so the build needs no internal-API flags; when it is not
 * available the JVM shutdown hook in {@link TerminalSession} still restores the terminal.
 */
final class Signals {
    private final List<Object[]> previous = new ArrayList<>();

    /** Installs handler (given the signal name: TERM, HUP, INT) for those signals; uninstall() puts the old ones back. */
    static Signals install(java.util.function.Consumer<String> handler, UiLog log) {
        Signals s = new Signals();
        try {
            Class<?> sigClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (p, m, args) -> {
                        if (m.getName().equals("handle")) {
                            handler.accept(String.valueOf(args[0].getClass().getMethod("getName").invoke(args[0])));
                        }
                        return null;
                    });
            Method handle = sigClass.getMethod("handle", sigClass, handlerClass);
            for (String name : new String[] {"TERM", "HUP", "INT"}) {
                try {
                    Object sig = sigClass.getConstructor(String.class).newInstance(name);
                    Object old = handle.invoke(null, sig, proxy);
                    s.previous.add(new Object[] {sig, old});
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.info("cannot trap SIG" + name + ": " + e);
                }
            }
            s.restoreMethod = handle;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("signal trapping unavailable: " + e);
        }
        return s;
    }

    private Method restoreMethod;

    /** Puts back the handlers that were there before (the JVM's: shutdown hooks, exit). */
    void uninstall() {
        if (restoreMethod == null) {
            return;
        }
        for (Object[] p : previous) {
            try {
                restoreMethod.invoke(null, p[0], p[1]);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // best effort: the process is ending anyway
            }
        }
        previous.clear();
    }
}
