package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LateTraceLimitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSecondsWorthAtOnceThenOneAnInterval() {
        long t = 123_456_789L;
        LateTraceLimit limit = new LateTraceLimit(4, t);
        for (int i = 0; i < 4; i++) {
            assertThat(limit.tryAcquire(t)).as("permit %d of the burst", i).isTrue();
        }
        assertThat(limit.tryAcquire(t)).as("a fifth at once").isFalse();
        assertThat(limit.tryAcquire(t + SECOND / 4 - 1)).isFalse();
        assertThat(limit.tryAcquire(t + SECOND / 4)).isTrue();
        assertThat(limit.tryAcquire(t + SECOND / 4)).isFalse();
        // a quiet while refills the burst, no more
        long later = t + 60 * SECOND;
        int granted = 0;
        while (limit.tryAcquire(later)) {
            granted++;
        }
        assertThat(granted).isEqualTo(4);
    }

    @Test
    void zeroPerSecondGrantsNothing() {
        LateTraceLimit limit = new LateTraceLimit(0, 0L);
        assertThat(limit.tryAcquire(0L)).isFalse();
        assertThat(limit.tryAcquire(100 * SECOND)).isFalse();
    }

    @Test
    void readingsNearTheEndOfTheRangeWrapLikeNanoTime() {
        long t = Long.MAX_VALUE - SECOND / 2;
        LateTraceLimit limit = new LateTraceLimit(1, t);
        assertThat(limit.tryAcquire(t)).isTrue();
        assertThat(limit.tryAcquire(t + SECOND / 2)).isFalse(); // past Long.MAX_VALUE: compared by difference
        assertThat(limit.tryAcquire(t + SECOND)).isTrue();
    }
}
