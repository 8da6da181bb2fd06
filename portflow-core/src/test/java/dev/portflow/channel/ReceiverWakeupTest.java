package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ReceiverWakeupTest {

    /**
     * Regression: the receiver may block on another lock between prepareToPark and park (a producer
     * gate's lock on an empty poll); that park eats the permit a producer's signal left. The receiver
     * must then still not sleep: it was signalled. This hung the 2-producer stress test at capacity 1.
     */
    @Test
    void aSignalIsNotLostWhenSomethingElseConsumedThePermit() throws Exception {
        ReceiverWakeup wakeup = new ReceiverWakeup();
        wakeup.prepareToPark();
        Thread producer = Thread.ofPlatform().start(wakeup::signal);
        producer.join();
        LockSupport.park(); // returns at once, eating the permit the signal left (as a contended lock would)

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> wakeup.park(0));
    }

    @Test
    void withoutASignalTheReceiverSleepsUntilTheDeadline() {
        ReceiverWakeup wakeup = new ReceiverWakeup();
        wakeup.prepareToPark();
        long start = System.nanoTime();
        wakeup.park(50_000_000L);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(45_000_000L);
        wakeup.cancelPark();
    }

    @Test
    void aSignalWakesAParkedReceiver() throws Exception {
        ReceiverWakeup wakeup = new ReceiverWakeup();
        Thread receiver = Thread.ofPlatform().start(() -> {
            wakeup.prepareToPark();
            wakeup.park(0);
            wakeup.cancelPark();
        });
        while (receiver.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        wakeup.signal();
        receiver.join(5_000);
        assertThat(receiver.isAlive()).isFalse();
    }
}
