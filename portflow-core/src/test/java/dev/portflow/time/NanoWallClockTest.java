package dev.portflow.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NanoWallClockTest {

    /**
     * The caller's {@code nowNanos} may be old by the time a re-calibration runs (read, then the
     * thread was descheduled): the offset must pair the wall clock with a nanoTime read beside it,
     * or every event time is mapped off by that delay until the next calibration.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recalibrationDoesNotPairTheWallClockWithAStaleNanoTime() throws Exception {
        NanoWallClock.toNanoTime(Instant.now(), System.nanoTime()); // loaded and calibrated
        Thread.sleep(1_100); // a re-calibration is due
        long stale = System.nanoTime();
        Thread.sleep(500); // the caller was descheduled after reading its clock
        NanoWallClock.toNanoTime(Instant.now(), stale); // re-calibrates here

        long now = System.nanoTime();
        long mapped = NanoWallClock.toNanoTime(Instant.now(), now);
        assertThat(Math.abs(mapped - now))
                .as("error of the wall clock mapped onto nanoTime, in ns")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
    }
}
