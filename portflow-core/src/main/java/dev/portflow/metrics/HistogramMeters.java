package dev.portflow.metrics;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Exposes a {@link LatencyHistogram} through a Micrometer registry.
 *
 * <p>Micrometer's own timers cost ~60 ns per record with a percentile histogram (an atomic per
 * bucket, two adders, a max with a clock read), too much for a per-message hot path. Its public API
 * has no way to feed a registry-created timer with pre-aggregated buckets, so:
 * <ul>
 *   <li>for a {@code PrometheusMeterRegistry} the histogram is exported natively, with real
 *       {@code _bucket{le}} series, {@code _count}, {@code _sum} and {@code _max}, under the name
 *       Micrometer would give the timer ({@link PrometheusHistogramExport});
 *   <li>for any other registry it is a {@link FunctionTimer} (exact count and total) plus a
 *       {@code .max} {@link TimeGauge}; percentiles are in the JSON snapshot.
 * </ul>
 * A {@link CompositeMeterRegistry} is handled member by member. See docs/metrics-fast-path.md.
 */
public final class HistogramMeters {

    private static final boolean PROMETHEUS_PRESENT =
            isPresent("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");

    private HistogramMeters() {}

    /** Registers {@code histogram} as meter {@code name} with {@code tags}. */
    public static void register(
            MeterRegistry registry, String name, String description, Tags tags, LatencyHistogram histogram) {
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                register(member, name, description, tags, histogram);
            }
            return;
        }
        if (PROMETHEUS_PRESENT && PrometheusHistogramExport.accepts(registry)) {
            PrometheusHistogramExport.register(registry, name, description, tags, histogram);
            return;
        }
        FunctionTimer.builder(
                        name, histogram, LatencyHistogram::count, LatencyHistogram::sumNanos, TimeUnit.NANOSECONDS)
                .description(description)
                .tags(tags)
                .register(registry);
        TimeGauge.builder(name + ".max", histogram, TimeUnit.NANOSECONDS, LatencyHistogram::maxNanos)
                .description(description + " (maximum)")
                .tags(tags)
                .register(registry);
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, HistogramMeters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
