package dev.portflow.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Native Prometheus export of {@link LatencyHistogram}s for a {@code PrometheusMeterRegistry}: one
 * collector per metric family, each data point read from its histogram at scrape time. Loaded only
 * when the Prometheus registry is on the class path.
 *
 * <p>Exported buckets merge the histogram's four sub-buckets per power of two into two, giving
 * {@code le} bounds 1.024 µs, then {@code 1.5·2^k} and {@code 2^(k+1)} ns up to ~137 s, then +Inf.
 */
final class PrometheusHistogramExport {

    private static final double[] UPPER_BOUNDS_SECONDS = exportedBounds();
    private static final Map<PrometheusRegistry, Map<String, Family>> FAMILIES = new WeakHashMap<>();

    private PrometheusHistogramExport() {}

    static boolean accepts(MeterRegistry registry) {
        return registry instanceof PrometheusMeterRegistry;
    }

    static void register(
            MeterRegistry meterRegistry, String name, String description, Tags tags, LatencyHistogram histogram) {
        PrometheusMeterRegistry registry = (PrometheusMeterRegistry) meterRegistry;
        NamingConvention convention = registry.config().namingConvention();
        String familyName = convention.name(name, Meter.Type.TIMER, "seconds");
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Tag tag : tags) {
            keys.add(convention.tagKey(tag.getKey()));
            values.add(convention.tagValue(tag.getValue()));
        }
        Labels labels = Labels.of(keys, values);
        PrometheusRegistry prometheus = registry.getPrometheusRegistry();
        Family family;
        synchronized (FAMILIES) {
            Map<String, Family> byName = FAMILIES.computeIfAbsent(prometheus, r -> new ConcurrentHashMap<>());
            family = byName.get(familyName);
            if (family == null) {
                family = new Family(familyName, description);
                prometheus.register(family);
                byName.put(familyName, family);
            }
        }
        family.points.add(new Point(labels, histogram));
    }

    private record Point(Labels labels, LatencyHistogram histogram) {}

    /** One metric family: {@code <name>} (histogram) and {@code <name>_max} (gauge). */
    private static final class Family implements MultiCollector {
        private final String name;
        private final String help;
        private final List<Point> points = new CopyOnWriteArrayList<>();
        private final long createdMillis = System.currentTimeMillis();

        Family(String name, String help) {
            this.name = name;
            this.help = help;
        }

        @Override
        public MetricSnapshots collect() {
            List<HistogramDataPointSnapshot> histograms = new ArrayList<>(points.size());
            List<GaugeDataPointSnapshot> maxima = new ArrayList<>(points.size());
            for (Point point : points) {
                HistogramSnapshot snapshot = point.histogram().snapshot();
                histograms.add(new HistogramDataPointSnapshot(
                        exportedCounts(snapshot),
                        snapshot.sumNanos() / 1e9,
                        point.labels(),
                        exemplars(point.histogram()),
                        createdMillis));
                maxima.add(new GaugeDataPointSnapshot(snapshot.maxNanos() / 1e9, point.labels(), null));
            }
            return MetricSnapshots.of(
                    new io.prometheus.metrics.model.snapshots.HistogramSnapshot(
                            new MetricMetadata(name, help), histograms),
                    new GaugeSnapshot(new MetricMetadata(name + "_max", help), maxima));
        }

        @Override
        @SuppressWarnings("deprecation") // still how the registry tells collectors' names apart (1.x)
        public List<String> getPrometheusNames() {
            return List.of(name, name + "_max");
        }
    }

    /** The traced samples' exemplars (OpenMetrics shows one per bucket), in seconds as the buckets. */
    static Exemplars exemplars(LatencyHistogram histogram) {
        HistogramExemplars kept = histogram.exemplars();
        if (kept == null) {
            return Exemplars.EMPTY;
        }
        List<Exemplar> out = new ArrayList<>();
        for (HistogramExemplars.Exemplar e : kept.all()) {
            out.add(Exemplar.builder()
                    .value(e.nanos() / 1e9)
                    .traceId(e.traceId())
                    .spanId(e.spanId())
                    .timestampMillis(e.epochMillis())
                    .build());
        }
        return Exemplars.of(out);
    }

    /** Non-cumulative counts per exported bucket, from the histogram's finer buckets. */
    static ClassicHistogramBuckets exportedCounts(HistogramSnapshot snapshot) {
        long[] fine = snapshot.counts();
        long[] counts = new long[UPPER_BOUNDS_SECONDS.length];
        counts[0] = fine[0];
        int out = 1;
        for (int i = 1; i + 1 < LatencyHistogram.BUCKETS - 1; i += 2) {
            counts[out++] = fine[i] + fine[i + 1];
        }
        counts[out] = fine[LatencyHistogram.BUCKETS - 1]; // overflow -> +Inf
        return ClassicHistogramBuckets.of(UPPER_BOUNDS_SECONDS, counts);
    }

    private static double[] exportedBounds() {
        int pairs = (LatencyHistogram.BUCKETS - 2) / 2;
        double[] bounds = new double[1 + pairs + 1];
        bounds[0] = LatencyHistogram.upperBoundNanos(0) / 1e9;
        for (int p = 0; p < pairs; p++) {
            bounds[1 + p] = LatencyHistogram.upperBoundNanos(2 + 2 * p) / 1e9;
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return bounds;
    }
}
