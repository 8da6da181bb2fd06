package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The drain-time gauge of a stage the autoscaler does not size, on a scripted clock and counters. */
class DrainTimeTest {

    private static final long SECOND = 1_000_000_000L;
    private static final double CAP = 3600;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final AtomicReference<DrainTime.Reading> counters =
            new AtomicReference<>(new DrainTime.Reading(0, 0, 1000));
    private final DrainTime drain = new DrainTime(counters::get, clock::get, 0.9, CAP);

    private double readAt(long seconds, long finished, long depth) {
        clock.set(1_000 * SECOND + seconds * SECOND);
        counters.set(new DrainTime.Reading(finished, depth, 1000));
        return drain.seconds();
    }

    @Test
    void theBacklogOverTheThroughputOfTheLastSeconds() {
        assertThat(readAt(0, 0, 0)).isZero(); // no backlog
        assertThat(readAt(0, 0, 300)).isNaN(); // a backlog, throughput not known yet
        assertThat(readAt(1, 100, 300)).isCloseTo(3.0, within(1e-9)); // 100/s: 300 take 3 s
        assertThat(readAt(2, 300, 400)).isCloseTo(2.6667, within(1e-3)); // 300 in 2 s
        // reads closer than a second add no sample: the same window, not a 0.1 s one
        clock.addAndGet(SECOND / 10);
        counters.set(new DrainTime.Reading(310, 400, 1000));
        assertThat(drain.seconds()).isCloseTo(400 / (310 / 2.1), within(1e-6));
    }

    @Test
    void theWindowSlidesSoAStallShowsWithinAFewSeconds() {
        readAt(0, 0, 100);
        for (int s = 1; s <= 10; s++) {
            readAt(s, 100L * s, 100);
        }
        assertThat(readAt(11, 1100, 100)).isCloseTo(1.0, within(1e-9)); // 100/s
        // the stage stops finishing: a few seconds later the old throughput has left the window
        readAt(12, 1100, 500);
        readAt(13, 1100, 600);
        readAt(14, 1100, 700);
        assertThat(readAt(15, 1100, 800)).isEqualTo(CAP);
    }

    @Test
    void aFullInputIsTheCapTheRealBacklogWaitsUpstream() {
        readAt(0, 0, 10);
        assertThat(readAt(1, 1000, 950)).isEqualTo(CAP); // 95 % of 1000: full
        assertThat(readAt(2, 2000, 800)).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void readsFarApartUseWhatTheyHave() {
        readAt(0, 0, 50);
        assertThat(readAt(60, 6000, 50)).isCloseTo(0.5, within(1e-9)); // 100/s over the minute
    }
}
