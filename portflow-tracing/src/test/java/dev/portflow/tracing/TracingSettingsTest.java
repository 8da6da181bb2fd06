package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {

    @Test
    void defaultsAreOnePercentOneSecondAndTenLateTracesASecond() {
        TracingSettings defaults = TracingSettings.defaults();
        assertThat(defaults.sampleRatio()).isEqualTo(0.01);
        assertThat(defaults.slowAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.slowAfterNanos()).isEqualTo(1_000_000_000L);
        assertThat(defaults.lateTracesPerSecond()).isEqualTo(10);
    }

    @Test
    void theBoundsAreAccepted() {
        assertThat(TracingSettings.defaults().withSampleRatio(0.0).sampleRatio())
                .isZero();
        assertThat(TracingSettings.defaults().withSampleRatio(1.0).sampleRatio())
                .isEqualTo(1.0);
        assertThat(TracingSettings.defaults().withSlowAfter(Duration.ZERO).slowAfterNanos())
                .isZero();
        assertThat(TracingSettings.defaults().withLateTracesPerSecond(0).lateTracesPerSecond())
                .isZero();
    }

    @Test
    void noSlowAfterOrAnEndlessOneMeansNever() {
        assertThat(TracingSettings.defaults().withSlowAfter(null).slowAfterNanos())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(TracingSettings.defaults()
                        .withSlowAfter(Duration.ofDays(365L * 1000))
                        .slowAfterNanos())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRatioOutsideZeroToOneIsRefusedWithWhatItWas() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> TracingSettings.defaults().withSampleRatio(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sample ratio must be between 0 and 1")
                    .hasMessageContaining("was " + bad);
        }
    }

    @Test
    void aNegativeSlowAfterOrLateRateIsRefused() {
        assertThatThrownBy(() -> TracingSettings.defaults().withSlowAfter(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slowAfter must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> TracingSettings.defaults().withLateTracesPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("late traces per second must not be negative, was -1");
    }
}
