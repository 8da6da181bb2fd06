package dev.portflow.cli;

import sun.misc.Signal;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a callback instead of an immediate JVM exit, so a
 * command can drain its pipeline and exit 0 on its own terms.
 */
final class ShutdownSignals {

    private ShutdownSignals() {
    }

    /** Runs {@code action} (on a signal-handling thread) when the process gets SIGINT or SIGTERM. */
    static void onTerminate(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException unsupported) {
                // Signal not available on this platform; the default handling applies.
            }
        }
    }
}
