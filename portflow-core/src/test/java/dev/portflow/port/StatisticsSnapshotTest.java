package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.channel.BoundedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a concurrent observer sees while two producers send, a consumer receives and (for
 * {@code DROP_OLDEST}) producers evict: every {@link Connection#statistics()} snapshot satisfies
 * accepted = received + depth + evicted, and every depth read is within [0, capacity] without
 * being clamped into it.
 */
class StatisticsSnapshotTest {

    private static final int CAPACITY = 4;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"BLOCK", "DROP_OLDEST"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everySnapshotAccountsForEveryAcceptedMessage(OverflowPolicy policy) throws Exception {
        List<String> bad = new ArrayList<>();
        long[] snapshots = {0};
        int failures = run(policy, connection -> {
            ChannelStatistics s = connection.statistics();
            snapshots[0]++;
            if (s.acceptedTotal() != s.receivedTotal() + s.currentBufferUsed() + s.evictedTotal()
                    || s.currentBufferUsed() < 0
                    || s.currentBufferUsed() > CAPACITY) {
                if (bad.size() < 5) {
                    bad.add(s.toString());
                }
                return false;
            }
            return true;
        });
        assertThat(failures)
                .as("inconsistent snapshots out of %d, e.g. %s", snapshots[0], bad)
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(
            value = OverflowPolicy.class,
            names = {"BLOCK", "DROP_OLDEST"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void depthIsWithinBoundsOnEveryRead(OverflowPolicy policy) throws Exception {
        List<Integer> bad = new ArrayList<>();
        long[] reads = {0};
        int failures = run(policy, connection -> {
            reads[0]++;
            BoundedChannel<Integer> channel = Objects.requireNonNull(connection.channel());
            int depth = channel.depth(); // not clamped: a bug in the read shows here
            if (depth < 0 || depth > CAPACITY) {
                if (bad.size() < 5) {
                    bad.add(depth);
                }
                return false;
            }
            return true;
        });
        assertThat(failures)
                .as("depth reads outside [0, %d] out of %d, e.g. %s", CAPACITY, reads[0], bad)
                .isZero();
    }

    /** Runs producers, a consumer and {@code observe} (on the test thread) for a bounded time. */
    private static int run(OverflowPolicy policy, java.util.function.Predicate<Connection<Integer>> observe)
            throws Exception {
        OutputPort<Integer> out = new OutputPort<>("out_snap", Integer.class);
        InputPort<Integer> in = new InputPort<>("in_snap", Integer.class);
        Connection<Integer> connection = Ports.connect(
                out, in, ConnectionOptions.defaults().capacity(CAPACITY).overflow(policy));
        AtomicReference<Throwable> problem = new AtomicReference<>();
        long end = System.nanoTime() + RUN_NANOS;
        Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++) {
            producers[p] = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; System.nanoTime() - end < 0; i++) {
                        out.send(i);
                    }
                } catch (Throwable t) {
                    problem.compareAndSet(null, t);
                }
            });
        }
        Thread consumer = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (in.receive() != null) {
                    // keep draining until end of stream
                }
            } catch (Throwable t) {
                problem.compareAndSet(null, t);
            }
        });
        int failures = 0;
        while (producers[0].isAlive() || producers[1].isAlive()) {
            if (!observe.test(connection)) {
                failures++;
            }
        }
        out.close();
        consumer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(consumer.isAlive()).as("consumer reached end of stream").isFalse();
        assertThat(problem.get()).isNull();
        return failures;
    }
}
