package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portflow.time.Ticker;
import org.junit.jupiter.api.Test;

class EpochClockTest {

    /** A ticker whose wall clock is its reading plus an offset the test sets. */
    private static final class SteppedTicker implements Ticker {
        volatile long now = 1_000L;
        volatile long offset = 5_000_000_000_000_000_000L;

        @Override
        public long read() {
            return now;
        }

        @Override
        public long wallNanos() {
            return now + offset;
        }
    }

    @Test
    void readingsMapThroughOneOffsetUntilTheRefresh() {
        SteppedTicker ticker = new SteppedTicker();
        EpochClock clock = new EpochClock(ticker);
        long first = ticker.offset;
        assertThat(clock.epochNanos(1_000L)).isEqualTo(1_000L + first);

        ticker.offset = first + 777; // the wall clock stepped: readings within 5 s keep the old offset
        ticker.now = 1_000L + EpochClock.REFRESH_NANOS;
        assertThat(clock.epochNanos(500L)).isEqualTo(500L + first);
        assertThat(clock.epochNanos(ticker.now)).isEqualTo(ticker.now + first);

        ticker.now = 1_001L + EpochClock.REFRESH_NANOS; // past 5 s: measured again
        assertThat(clock.epochNanos(ticker.now)).isEqualTo(ticker.now + first + 777);
        assertThat(clock.epochNanos(500L))
                .as("an older reading, with the new offset")
                .isEqualTo(500L + first + 777);
    }

    /**
     * The first wall-clock read of a process is slow (it loads classes): an offset taken from one ticker
     * reading before it would put every span that much late. The bracketed measurement picks a narrow try.
     */
    @Test
    void aSlowWallClockReadDoesNotShiftTheOffset() {
        long offset = 5_000_000_000_000_000_000L;
        Ticker slowFirst = new Ticker() {
            long now = 1_000L;
            boolean first = true;

            @Override
            public long read() {
                return now += 10; // each reading 10 ns after the last
            }

            @Override
            public long wallNanos() {
                if (first) {
                    first = false;
                    now += 300_000; // 300 us pass inside the first wall-clock read
                }
                return now + offset;
            }
        };
        EpochClock clock = new EpochClock(slowFirst);
        assertThat(clock.epochNanos(2_000_000L)).isCloseTo(2_000_000L + offset, within(10L));
    }
}
