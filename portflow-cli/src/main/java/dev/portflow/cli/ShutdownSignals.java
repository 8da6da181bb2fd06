package dev.portflow.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a callback instead of an immediate JVM exit, so the command
 * can drain its pipeline, exit 0 on its own terms, and stop at once on a second Ctrl-C (a shutdown
 * hook could do neither: the JVM is already exiting when it runs, with the signal's status).
 *
 * <p>Through {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported on every JDK since 9),
 * reached by reflection: a direct reference draws javac's "internal proprietary API" warning, which
 * no {@code @SuppressWarnings} silences and which would fail the {@code -Werror} build.
 */
final class ShutdownSignals {

    private ShutdownSignals() {}

    /** Runs {@code action} (on a signal-handling thread) when the process gets SIGINT or SIGTERM. */
    static void onTerminate(Runnable action) {
        Class<?> signalType;
        Class<?> handlerType;
        Method handle;
        try {
            signalType = Class.forName("sun.misc.Signal");
            handlerType = Class.forName("sun.misc.SignalHandler");
            handle = signalType.getMethod("handle", signalType, handlerType);
        } catch (ReflectiveOperationException unavailable) {
            return; // a JDK without jdk.unsupported: the default handling (exit) applies
        }
        Object handler = Proxy.newProxyInstance(
                ShutdownSignals.class.getClassLoader(),
                new Class<?>[] {handlerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        action.run();
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "portflow shutdown signal handler";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalArgumentException)) { // signal not available here
                    throw new IllegalStateException("cannot handle SIG" + name, e.getCause());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot handle SIG" + name, e);
            }
        }
    }
}
