package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One million messages per policy from two producer threads through one output port to one consumer:
 * nothing lost or duplicated, per-producer order kept, every counter agrees with the producers'
 * outcomes, depth always within [0, capacity], and no deadlock (bounded time).
 */
@Tag("stress")
class ChannelStressTest {

    private static final int MESSAGES = 1_000_000;
    private static final int CAPACITY = 1024;

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void oneMillionMessagesAreConserved(OverflowPolicy policy) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ConcurrentRun run = new ConcurrentRun(
                    policy, CAPACITY, MESSAGES / ConcurrentRun.PRODUCERS, Duration.ofMillis(5), 42L, false);
            long start = System.nanoTime();
            run.run();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            run.verify();
            System.out.printf(
                    "stress %s: %d ms, received %d, out %s%n",
                    policy,
                    elapsedMs,
                    run.in.metrics().messagesIn(),
                    run.out.metrics().droppedByReason());
            if (policy == OverflowPolicy.BLOCK) {
                assertThat(run.in.metrics().messagesIn()).isEqualTo(MESSAGES);
            }
        });
    }

    /** The tightest buffer: every send races the receiver for the one slot. */
    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void capacityOneUnderContention(OverflowPolicy policy) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ConcurrentRun run = new ConcurrentRun(policy, 1, 100_000, Duration.ofMillis(5), 7L, false);
            long start = System.nanoTime();
            run.run();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            run.verify();
            System.out.printf(
                    "stress capacity 1 %s: %d ms, received %d, out %s%n",
                    policy,
                    elapsedMs,
                    run.in.metrics().messagesIn(),
                    run.out.metrics().droppedByReason());
        });
    }
}
