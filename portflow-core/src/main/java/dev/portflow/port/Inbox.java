package dev.portflow.port;

import dev.portflow.channel.ReceiverWakeup;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives from several input ports as one: the fair, blocking receive of a component with more
 * than one input. Messages are taken round-robin over ports (and over connections within a port).
 *
 * <p>Group the ports before connecting them ({@link #of}), so all their connections wake the same
 * receiver. One thread receives from an inbox.
 */
public final class Inbox {

    /** Spins on an empty inbox before parking: a parked receiver costs its producers an unpark. */
    private static final int SPINS_BEFORE_PARK = 64;

    private final InputPort<?>[] ports;
    private final ReceiverWakeup wakeup;
    private int next;

    @SuppressWarnings("NullAway.Init") // set with every message returned; lastPort() is asked only after one
    private InputPort<?> lastPort;

    Inbox(List<InputPort<?>> ports, boolean shareWakeup) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("an inbox needs at least one input port");
        }
        this.ports = ports.toArray(new InputPort<?>[0]);
        if (shareWakeup) {
            this.wakeup = new ReceiverWakeup();
            for (InputPort<?> port : ports) {
                port.shareWakeup(wakeup);
            }
        } else {
            this.wakeup = this.ports[0].wakeup();
        }
    }

    /** Groups {@code ports}, none of them connected yet, into one fair receiver. */
    public static Inbox of(List<? extends InputPort<?>> ports) {
        return new Inbox(List.copyOf(ports), true);
    }

    /** The port of the message last returned; ask only once a receive or poll has returned one. */
    public InputPort<?> lastPort() {
        return lastPort;
    }

    /** Waits for the next message from any port; {@code null} at end of stream on every port. */
    public @Nullable Object receive() throws InterruptedException {
        return counted(receive(Long.MAX_VALUE, 0L));
    }

    /** Waits up to {@code timeout}; {@code null} on timeout or at end of stream ({@link #isEndOfStream()}). */
    public @Nullable Object receive(Duration timeout) throws InterruptedException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return counted(receive(Deadlines.nanos(timeout), 0L));
    }

    /** The next message if one is buffered now, else {@code null}. */
    public @Nullable Object poll() {
        return counted(poll(0L));
    }

    /**
     * The user-facing receives count every message in the ports' histograms at once; the runtime's
     * ({@link #receive(long, long)}, {@link #poll(long)}) leave untimed ones to the next exact reading.
     */
    private @Nullable Object counted(@Nullable Object message) {
        for (InputPort<?> port : ports) {
            port.countUntimed();
        }
        return message;
    }

    /**
     * Waits up to {@code timeoutNanos} ({@code Long.MAX_VALUE}: forever).
     *
     * <p>For a runtime: a message the sender did not time is counted in its port's histograms at
     * the port's next exact reading (docs/metrics-fast-path.md), not at once as by {@link #receive()}.
     *
     * @param nowHint a reading of the ports' ticker the caller just took, used as the receive time
     *                of a message enqueued before it was taken (saves a clock read; a message sent
     *                after it reads the clock anew); 0 for none
     */
    public @Nullable Object receive(long timeoutNanos, long nowHint) throws InterruptedException {
        Object message = poll(nowHint);
        if (message != null) {
            return message;
        }
        for (int spin = 0; spin < SPINS_BEFORE_PARK; spin++) {
            Thread.onSpinWait();
            message = poll(0L);
            if (message != null) {
                return message;
            }
        }
        long deadline = Deadlines.after(System.nanoTime(), timeoutNanos);
        while (true) {
            if (isEndOfStream()) {
                return null;
            }
            wakeup.prepareToPark();
            message = poll(0L);
            if (message != null) {
                wakeup.cancelPark();
                return message;
            }
            if (isEndOfStream()) {
                wakeup.cancelPark();
                return null;
            }
            long parkNanos = 0L;
            if (deadline != Long.MAX_VALUE) {
                parkNanos = deadline - System.nanoTime();
                if (parkNanos <= 0) {
                    wakeup.cancelPark();
                    return null;
                }
            }
            wakeup.park(parkNanos);
            wakeup.cancelPark();
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while receiving");
            }
            message = poll(0L);
            if (message != null) {
                return message;
            }
        }
    }

    /**
     * The next message if one is buffered now, else {@code null}; never waits. For a runtime, like
     * {@link #receive(long, long)}.
     *
     * @param nowHint as for {@link #receive(long, long)}: a reading of the ports' ticker the caller just
     *                took, used as the receive time of a message enqueued before it; 0 for none
     */
    public @Nullable Object poll(long nowHint) {
        InputPort<?>[] ps = ports;
        int n = ps.length;
        for (int k = 0; k < n; k++) {
            int i = next + k;
            if (i >= n) {
                i -= n;
            }
            Object message = ps[i].pollOnce(nowHint);
            if (message != null) {
                next = i + 1 == n ? 0 : i + 1;
                lastPort = ps[i];
                return message;
            }
        }
        return null;
    }

    /** Whether every port has reached end of stream. */
    public boolean isEndOfStream() {
        for (InputPort<?> port : ports) {
            if (!port.isEndOfStream()) {
                return false;
            }
        }
        return true;
    }
}
