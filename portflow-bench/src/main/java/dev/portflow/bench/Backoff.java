package dev.portflow.bench;

/**
 * The one idle strategy every busy-waiting benchmark thread uses, whatever channel it drives: a
 * short spin ({@link Thread#onSpinWait()}), then {@link Thread#yield()}.
 *
 * <p>Yielding matters on small machines: a 2P&rarr;1C benchmark runs three busy threads, and on a
 * 2-core box a thread that spins through its whole time slice would only delay the thread it waits
 * for. Using the same strategy for every channel keeps the comparison fair.
 */
final class Backoff {

    /** Failed attempts spent spinning before the thread starts yielding. */
    static final int SPINS = 100;

    private Backoff() {}

    /** Waits a little; {@code attempt} counts the consecutive failed attempts, from 0. */
    static void idle(int attempt) {
        if (attempt < SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
