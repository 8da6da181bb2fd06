package dev.portflow.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gaps drawn for a ratio trace each message with that probability, independently: seeded draws (the seed
 * is in every failure message) against the geometric law.
 */
class SamplingGapsTest {

    @Test
    void theEdgesTraceEveryMessageOrNone() {
        assertThat(SamplingGaps.atRatio(1.0).gap(0.7)).isZero();
        assertThat(SamplingGaps.atRatio(2.0).gap(0.7)).isZero();
        assertThat(SamplingGaps.atRatio(0.0).gap(0.7)).isEqualTo(Long.MAX_VALUE);
        assertThat(SamplingGaps.atRatio(-1.0).gap(0.7)).isEqualTo(Long.MAX_VALUE);
        assertThat(SamplingGaps.atRatio(0.01).gap(0.0)).isZero(); // the smallest uniform: no message skipped
        assertThat(SamplingGaps.atRatio(1e-300).gap(Math.nextDown(1.0))).isEqualTo(Long.MAX_VALUE); // past a long
        assertThat(SamplingGaps.atRatio(0.5).draw()).isNotNegative();
        assertThatThrownBy(() -> SamplingGaps.atRatio(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void gapsFollowTheGeometricLawOfADrawPerMessage() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (double ratio : new double[] {0.5, 0.1, 0.01, 0.001}) {
            SamplingGaps gaps = SamplingGaps.atRatio(ratio);
            int draws = 200_000;
            long untraced = 0;
            int[] atLeast = new int[4]; // gaps of at least k = 0, 1, 5, 50
            long[] ks = {0, 1, 5, 50};
            for (int i = 0; i < draws; i++) {
                long gap = gaps.gap(random.nextDouble());
                assertThat(gap).as("seed %d, ratio %s", seed, ratio).isNotNegative();
                untraced += gap;
                for (int k = 0; k < ks.length; k++) {
                    if (gap >= ks[k]) {
                        atLeast[k]++;
                    }
                }
            }
            // the share of messages traced: one per gap
            double share = (double) draws / (draws + untraced);
            assertThat(share).as("seed %d, ratio %s: share traced", seed, ratio).isCloseTo(ratio, within(ratio * 0.02));
            for (int k = 0; k < ks.length; k++) {
                double expected = Math.pow(1 - ratio, ks[k]);
                double sd = Math.sqrt(expected * (1 - expected) / draws);
                assertThat((double) atLeast[k] / draws)
                        .as("seed %d, ratio %s: P(gap >= %d)", seed, ratio, ks[k])
                        .isCloseTo(expected, within(6 * sd + 1e-9));
            }
        }
    }
}
