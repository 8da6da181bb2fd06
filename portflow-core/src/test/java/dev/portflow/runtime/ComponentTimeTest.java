package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.FakeTicker;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Busy, idle and backpressured time: exact, monotonic, and never more than the time that passed. */
class ComponentTimeTest {

    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void eachStateGetsExactlyItsIntervalsIncludingTheOneInProgress() {
        ComponentTimes times = new ComponentTimes(ticker);
        ComponentTime time = times.newWorker();
        time.start(ComponentTime.IDLE, ticker.now());
        time.enter(ComponentTime.BUSY, ticker.advance(3 * MS));
        time.enter(ComponentTime.BACKPRESSURED, ticker.advance(5 * MS));
        time.enter(ComponentTime.BUSY, ticker.advance(7 * MS));
        ticker.advance(2 * MS); // busy, in progress

        assertThat(times.nanos(ComponentTime.IDLE)).isEqualTo(3 * MS);
        assertThat(times.nanos(ComponentTime.BUSY)).isEqualTo(7 * MS);
        assertThat(times.nanos(ComponentTime.BACKPRESSURED)).isEqualTo(7 * MS);

        time.finish(ticker.advance(1 * MS));
        ticker.advance(100 * MS); // finished: nothing more accrues
        times.retire(time);
        assertThat(times.nanos(ComponentTime.BUSY)).isEqualTo(8 * MS);
        assertThat(times.nanos(ComponentTime.IDLE)).isEqualTo(3 * MS);
    }

    @Test
    void aReaderRacingTheOwnerNeverCountsMoreThanTheTimeThatPassed() throws Exception {
        ComponentTimes times = new ComponentTimes(ticker);
        ComponentTime time = times.newWorker();
        long start = ticker.now();
        time.start(ComponentTime.IDLE, start);
        AtomicBoolean stop = new AtomicBoolean();
        Thread owner = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(13);
            int state = ComponentTime.IDLE;
            while (!stop.get()) {
                state = (state + 1 + random.nextInt(2)) % 3;
                time.enter(state, ticker.advance(1 + random.nextInt(200_000))); // up to 0.2 ms per state
            }
        });
        String failure = null;
        long[] previous = new long[3];
        long deadline = System.nanoTime() + 2_000 * MS;
        try {
            while (System.nanoTime() < deadline && failure == null) {
                long busy = times.nanos(ComponentTime.BUSY);
                long idle = times.nanos(ComponentTime.IDLE);
                long blocked = times.nanos(ComponentTime.BACKPRESSURED);
                long wall = ticker.now() - start; // read after the three
                if (busy + idle + blocked > wall) {
                    failure = "busy " + busy + " + idle " + idle + " + backpressured " + blocked + " = "
                            + (busy + idle + blocked) + " ns > " + wall + " ns of wall time";
                }
                long[] now = {busy, idle, blocked};
                String[] names = {"busy", "idle", "backpressured"};
                for (int s = 0; s < 3; s++) {
                    if (now[s] < previous[s]) {
                        failure = names[s] + " went back from " + previous[s] + " to " + now[s];
                    }
                }
                previous = now;
            }
        } finally {
            stop.set(true);
            owner.join();
        }
        assertThat(failure).isNull();
        time.finish(ticker.advance(1));
        long total = times.nanos(ComponentTime.BUSY)
                + times.nanos(ComponentTime.IDLE)
                + times.nanos(ComponentTime.BACKPRESSURED);
        assertThat(total).isEqualTo(ticker.now() - start);
    }
}
