package dev.portflow.port;

/**
 * Told when a send starts and stops waiting on a full buffer, on the sending thread. Runtimes use it
 * to account a component's time as backpressured while it happens, not only afterwards.
 */
public interface BackpressureListener {

    /** A send on this thread found the buffer full and starts waiting at {@code startNanos} (a reading of the port's ticker). */
    void waitStarted(long startNanos);

    /** That send stopped waiting (accepted, timed out, closed or interrupted) at {@code endNanos}. */
    void waitEnded(long startNanos, long endNanos);

    /** Ignores both events. */
    BackpressureListener NONE = new BackpressureListener() {
        @Override
        public void waitStarted(long startNanos) {}

        @Override
        public void waitEnded(long startNanos, long endNanos) {}
    };
}
