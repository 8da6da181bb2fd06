package dev.portflow.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bracketed offset between a monotonic clock and the wall clock, on scripted clocks. */
class ClockOffsetTest {

    private static final long OFFSET = 1_700_000_000_000_000_000L;

    @Test
    void aWallClockReadThatTookLongDoesNotShiftTheOffset() {
        AtomicLong now = new AtomicLong(1_000L);
        AtomicInteger wallReads = new AtomicInteger();
        ClockOffset measured = ClockOffset.measure(
                () -> now.addAndGet(10), // each monotonic reading 10 ns after the last
                () -> {
                    if (wallReads.getAndIncrement() == 0) {
                        now.addAndGet(300_000); // descheduled for 300 us inside the first wall read
                    }
                    return now.get() + OFFSET; // the wall clock is read at the end of its call
                });
        assertThat(measured.nanos())
                .as("an offset from a 20 ns bracket, not the first one of 300 us")
                .isBetween(OFFSET - 10, OFFSET + 10);
        assertThat(wallReads).as("stops at the first narrow try").hasValue(2);
    }

    @Test
    void keepsTheNarrowestOfAllTriesWhenNoneIsNarrowEnough() {
        AtomicLong now = new AtomicLong(0L);
        AtomicInteger wallReads = new AtomicInteger();
        long[] widths = {50_000, 40_000, 9_000, 30_000, 60_000, 70_000, 80_000, 90_000, 20_000, 10_000};
        ClockOffset measured = ClockOffset.measure(() -> now.get(), () -> {
            int i = wallReads.getAndIncrement();
            now.addAndGet(widths[i]); // the wall is read at the start of its bracket
            return now.get() - widths[i] + OFFSET;
        });
        assertThat(wallReads).hasValue(ClockOffset.TRIES);
        // the 9 us bracket: its midpoint is 4.5 us after the wall read, so the offset errs by -4.5 us
        assertThat(measured.nanos()).isEqualTo(OFFSET - 4_500);
        assertThat(measured.measuredAt()).isEqualTo(50_000 + 40_000 + 9_000);
    }
}
