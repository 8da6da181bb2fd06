package dev.portflow.examples;

import sun.misc.Signal;

/**
 * Turns SIGINT and SIGTERM into a callback instead of an immediate JVM exit, so the pipeline can
 * drain and the process can exit 0 on its own terms.
 */
final class ShutdownSignals {

    private ShutdownSignals() {
    }

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
