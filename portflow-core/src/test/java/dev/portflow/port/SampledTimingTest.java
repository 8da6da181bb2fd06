package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.FakeTicker;
import dev.portflow.metrics.Buckets;
import dev.portflow.metrics.HistogramSnapshot;
import dev.portflow.metrics.LatencyHistogram;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, section 3: what sampled timing reports, checked against the exact value of every message
 * (ground truth from a fake clock that the test moves per message). At 1 M msg/s one message in
 * several is timed: queue wait and age quantiles stay within one histogram bucket of the truth, max
 * wait and max age are never below the true max and at most 1 ms above it, counts are exact. Below
 * 100k msg/s every message is timed: the histograms equal the truth exactly.
 */
@Timeout(60)
class SampledTimingTest {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.99, 0.999};

    private final FakeTicker ticker = new FakeTicker();
    private final OutputPort<Long> out = new OutputPort<>("out_n", Long.class);
    private final InputPort<Long> in = new InputPort<>("in_n", Long.class);
    private final LatencyHistogram trueWait = new LatencyHistogram();
    private final LatencyHistogram trueAge = new LatencyHistogram();
    private long[] sentAt = new long[0]; // sized by connect()
    private long[] originOf = new long[0];

    SampledTimingTest() {
        out.ticker(ticker);
        in.ticker(ticker);
    }

    /**
     * One producer at 1 M msg/s (the clock moves 1 µs per send); the receiver keeps up on average but
     * pauses now and then for up to 2 ms and catches up, so waits range from 0 to ~2 ms. Half the
     * messages carry an inherited origin up to 5 ms old.
     */
    @Test
    void atOneMillionMessagesPerSecondQuantilesAreWithinOneBucketAndMaxWithinOneMillisecondAbove() throws Exception {
        long seed = System.nanoTime();
        int n = 200_000;
        Connection<Long> connection = connect(8192, n);
        SplittableRandom random = new SplittableRandom(seed);
        int sent = 0;
        int received = 0;
        long pauseUntil = 0;
        int maxSpacing = 1;
        long countLag = 0; // the most received messages not yet in the histograms' counts
        while (received < n) {
            if (sent < n) {
                ticker.advance(US);
                send(sent++, random);
                maxSpacing = Math.max(
                        maxSpacing, Objects.requireNonNull(connection.channel()).sampleSpacing());
            }
            if (ticker.now() >= pauseUntil || sent - received > 6_000) { // never block this one thread
                if (random.nextInt(2_000) == 0) {
                    pauseUntil = ticker.now() + random.nextLong(2 * MS);
                } else {
                    // catch up: up to 2 per microsecond while a backlog is there
                    for (int k = 0; k < 2 && received < sent; k++) {
                        received += receive();
                        countLag = Math.max(
                                countLag,
                                received - in.measurements().messageAge.count());
                    }
                }
            }
            if (sent == n && received < n) {
                ticker.advance(US); // the producer is done: the receiver drains at 1 µs a message
            }
        }
        assertThat(in.poll()).isNull();

        assertThat(maxSpacing).as("sampling engaged (seed %d)", seed).isGreaterThanOrEqualTo(8);
        // a port used directly (poll, receive) counts every message at once, timed or not
        assertThat(countLag).as("count lag (seed %d)", seed).isZero();
        assertThat(in.measurements().queueWait.count()).isEqualTo(received);
        assertAccurate(in.measurements().queueWait.snapshot(), trueWait.snapshot(), "queue wait", seed);
        assertAccurate(in.measurements().messageAge.snapshot(), trueAge.snapshot(), "message age", seed);
    }

    /** 50k msg/s (20 µs apart), each waiting a different while: every message is timed exactly. */
    @Test
    void belowOneHundredThousandMessagesPerSecondEveryMessageIsTimedExactly() throws Exception {
        long seed = System.nanoTime();
        int n = 20_000;
        Connection<Long> connection = connect(64, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            ticker.advance(20 * US);
            send(i, random);
            assertThat(Objects.requireNonNull(connection.channel()).sampleSpacing())
                    .isEqualTo(1);
            ticker.advance(2 * random.nextLong(7_500)); // even: an exact stamp keeps all but its lowest bit
            receive();
        }

        HistogramSnapshot wait = in.measurements().queueWait.snapshot();
        HistogramSnapshot truth = trueWait.snapshot();
        assertThat(wait.counts()).as("seed %d", seed).containsExactly(truth.counts());
        assertThat(wait.sumNanos()).isEqualTo(truth.sumNanos());
        assertThat(wait.maxNanos()).isEqualTo(truth.maxNanos());
        HistogramSnapshot age = in.measurements().messageAge.snapshot();
        assertThat(age.counts())
                .as("seed %d", seed)
                .containsExactly(trueAge.snapshot().counts());
        assertThat(age.maxNanos()).isEqualTo(trueAge.snapshot().maxNanos());
    }

    /**
     * A burst sent at 10 M msg/s into a receiver that then takes 300 µs per message: most of the burst
     * is untimed, and the receiver's reading a coarse clock tick later settles their bound.
     */
    @Test
    void aSlowReceiverAfterAFastBurstStillBoundsMaxWaitWithinOneMillisecond() throws Exception {
        long seed = System.nanoTime();
        int n = 4_000;
        connect(8192, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            ticker.advance(100);
            send(i, random);
        }
        for (int i = 0; i < n; i++) {
            receive();
            ticker.advance(300 * US);
        }
        HistogramSnapshot wait = in.measurements().queueWait.snapshot();
        HistogramSnapshot truth = trueWait.snapshot();
        assertThat(wait.count()).isEqualTo(n);
        assertThat(wait.maxNanos()).as("seed %d", seed).isBetween(truth.maxNanos(), truth.maxNanos() + MS);
    }

    /** Connects out to in with a BLOCK buffer of {@code capacity}, ready to follow {@code n} messages. */
    private Connection<Long> connect(int capacity, int n) {
        sentAt = new long[n];
        originOf = new long[n];
        return Ports.connect(out, in, capacity, OverflowPolicy.BLOCK);
    }

    private void send(int i, SplittableRandom random) throws InterruptedException {
        long now = ticker.now();
        sentAt[i] = now;
        if (random.nextBoolean()) {
            long origin = now - random.nextLong(5 * MS);
            originOf[i] = origin;
            out.send((long) i, origin);
        } else {
            originOf[i] = now;
            out.send((long) i);
        }
    }

    private int receive() {
        Long m = in.poll();
        if (m == null) {
            return 0;
        }
        int i = (int) (long) m;
        long now = ticker.now();
        trueWait.record(now - sentAt[i]);
        trueAge.record(now - originOf[i]);
        return 1;
    }

    private static void assertAccurate(HistogramSnapshot reported, HistogramSnapshot truth, String what, long seed) {
        assertThat(reported.count()).as("%s count (seed %d)", what, seed).isEqualTo(truth.count());
        for (double q : QUANTILES) {
            long got = (long) reported.percentileNanos(q);
            long want = (long) truth.percentileNanos(q);
            assertThat(Math.abs(Buckets.of(got) - Buckets.of(want)))
                    .as("%s p%s: reported %d ns, true %d ns (seed %d)", what, q * 100, got, want, seed)
                    .isLessThanOrEqualTo(1);
        }
        assertThat(reported.maxNanos())
                .as("%s max never below the true max (seed %d)", what, seed)
                .isGreaterThanOrEqualTo(truth.maxNanos());
        assertThat(reported.maxNanos())
                .as("%s max at most 1 ms above the true max (seed %d)", what, seed)
                .isLessThanOrEqualTo(truth.maxNanos() + MS);
    }
}
