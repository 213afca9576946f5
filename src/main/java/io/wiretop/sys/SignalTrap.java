// SPDX-License-Identifier: Apache-2.0
package io.wiretop.sys;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Routes some signals (by name: INT, TERM, HUP...) to a handler and puts the previous handling back
 * on {@link #release()}. The one place wiretop touches sun.misc.Signal, through reflection as
 * lanterna does for SIGWINCH, so the build needs no internal-API flags. Where it is not available,
 * or a signal cannot be trapped (HotSpot refuses one that was ignored at start), that signal keeps
 * the JVM's handling: shutdown hooks, which still release BPF and the terminal.
 */
public final class SignalTrap {
    private final List<Object[]> previous = new ArrayList<>();
    private Method handle;

    private SignalTrap() {
    }

    /** Calls handler with the signal's name, on the JVM's signal thread, for each of these signals. */
    public static SignalTrap install(Consumer<String> handler, String... names) {
        SignalTrap t = new SignalTrap();
        try {
            Class<?> sigClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(SignalTrap.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (p, m, args) -> {
                        if (m.getName().equals("handle")) {
                            handler.accept(String.valueOf(args[0].getClass().getMethod("getName").invoke(args[0])));
                        }
                        return null;
                    });
            t.handle = sigClass.getMethod("handle", sigClass, handlerClass);
            for (String name : names) {
                try {
                    Object sig = sigClass.getConstructor(String.class).newInstance(name);
                    t.previous.add(new Object[] {sig, t.handle.invoke(null, sig, proxy)});
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // that signal keeps the JVM's handling
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no sun.misc.Signal: the JVM's shutdown hooks are what stops the process
        }
        return t;
    }

    /** How many of the signals asked for are trapped (0 where sun.misc.Signal is unavailable). */
    public int trapped() {
        return previous.size();
    }

    /** Puts back the handling each signal had before (the JVM's: shutdown hooks, exit). */
    public synchronized void release() {
        for (Object[] p : previous) {
            try {
                handle.invoke(null, p[0], p[1]);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // best effort: the process is ending
            }
        }
        previous.clear();
    }
}
