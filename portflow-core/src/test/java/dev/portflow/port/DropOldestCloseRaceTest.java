package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code DROP_OLDEST} send racing {@code close()}: either it evicted the oldest message and its own
 * message was accepted in its place, or it returned {@code CLOSED} and evicted nothing. It must never
 * evict an accepted message and then report {@code CLOSED} (the receiver would see end of stream
 * without a message that was acknowledged to its sender).
 */
class DropOldestCloseRaceTest {

    private static final int TRIALS = 3000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSendThatReturnsClosedEvictedNothing() throws Exception {
        List<String> bad = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            OutputPort<Integer> out = new OutputPort<>("out_race", Integer.class);
            InputPort<Integer> in = new InputPort<>("in_race", Integer.class);
            Connection<Integer> c = Ports.connect(
                    out, in, ConnectionOptions.defaults().capacity(2).overflow(OverflowPolicy.DROP_OLDEST));
            assertThat(out.send(1)).isEqualTo(SendOutcome.ACCEPTED);
            assertThat(out.send(2)).isEqualTo(SendOutcome.ACCEPTED);

            AtomicInteger ready = new AtomicInteger();
            AtomicReference<SendOutcome> outcome = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = Thread.ofPlatform().daemon().start(() -> {
                ready.incrementAndGet();
                while (ready.get() < 2) {
                    Thread.onSpinWait();
                }
                try {
                    outcome.set(out.send(3));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            ready.incrementAndGet();
            while (ready.get() < 2) {
                Thread.onSpinWait();
            }
            if ((trial & 1) == 0) {
                Thread.onSpinWait(); // vary which side goes first
            }
            out.close();
            sender.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(sender.isAlive()).as("sender finished").isFalse();
            assertThat(failure.get()).isNull();

            List<Integer> received = new ArrayList<>();
            for (Integer m = in.poll(); m != null; m = in.poll()) {
                received.add(m);
            }
            assertThat(in.isEndOfStream()).isTrue();
            List<Integer> expected = switch (Objects.requireNonNull(outcome.get())) {
                case CLOSED -> List.of(1, 2);
                case ACCEPTED_AFTER_EVICTING -> List.of(2, 3);
                default -> throw new AssertionError("unexpected outcome " + outcome.get());
            };
            ChannelStatistics s = c.statistics();
            if (!received.equals(expected) || s.acceptedTotal() != s.receivedTotal() + s.evictedTotal()) {
                bad.add("trial " + trial + ": " + outcome.get() + ", received " + received + ", " + s);
            }
        }
        assertThat(bad)
                .as("%d of %d trials lost an accepted message", bad.size(), TRIALS)
                .isEmpty();
    }
}
