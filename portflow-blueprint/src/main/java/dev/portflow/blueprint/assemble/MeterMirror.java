package dev.portflow.blueprint.assemble;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Every meter of a pipeline's {@link PrometheusMeterRegistry}, live in a second registry (the OTLP one): the server
 * serves {@code /metrics} from the Prometheus registry, which it requires as the pipeline's, so the second registry
 * cannot be a member of a composite the pipeline registers into. Instead:
 *
 * <ul>
 *   <li><b>Micrometer meters</b>, as they are added to (and removed from) the Prometheus registry, including those
 *       it held already: a counter or function counter becomes a {@link FunctionCounter} reading its count, a gauge
 *       a {@link Gauge} (a time gauge a {@link TimeGauge}) reading its value, a timer a {@link FunctionTimer} (count
 *       and total) plus a {@code <name>.max} time gauge, a function timer a function timer, anything else (a
 *       distribution summary, a long task timer: none today) a meter of the same type with its measurements. Same
 *       name, tags, description and base unit; every read goes to the Prometheus registry's meter, so nothing is
 *       counted twice and nothing per message is added.
 *   <li><b>The ports' latency histograms</b> ({@link #NATIVE_HISTOGRAMS}), which core's {@code HistogramMeters}
 *       exports to a Prometheus registry natively, as Prometheus collectors and not as Micrometer meters: read from
 *       the Prometheus registry's own snapshot of them (at most every 50 ms, when a pushed meter asks), each series a
 *       {@link FunctionTimer} with its exact count and sum plus a {@code <name>.max} time gauge, the form core gives
 *       them in any registry that is not a Prometheus one. Their buckets stay on {@code /metrics}. Series that
 *       appear later (a port bound after assembly) are added by {@link #discover()}, which the push calls first.
 * </ul>
 *
 * A meter that cannot be mirrored (a name clash in the second registry) is left out with a warning; mirroring never
 * fails a registration in the Prometheus registry.
 */
public final class MeterMirror implements AutoCloseable {

    /**
     * The Micrometer names of the histograms core exports natively to a Prometheus registry (SPEC section 2, and the
     * ingress's request duration). A histogram core adds must be added here: {@code OtlpMetricsExportTest} fails
     * until it is.
     */
    public static final List<String> NATIVE_HISTOGRAMS = List.of(
            "portflow.port.process.duration",
            "portflow.port.blocked.duration",
            "portflow.port.message.age",
            "portflow.port.queue.wait",
            "portflow.ingress.request.duration");

    private static final System.Logger LOG = System.getLogger("dev.portflow.blueprint");
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final PrometheusMeterRegistry source;
    private final MeterRegistry target;
    private final Map<Meter.Id, List<Meter>> mirrors = new ConcurrentHashMap<>();
    /** The native histograms' Prometheus family names to their Micrometer names. */
    private final Map<String, String> histogramNames = new HashMap<>();
    /** Their {@code _max} gauges' family names to the histograms' family names. */
    private final Map<String, String> maxFamilies = new HashMap<>();
    /** The native histograms' series mirrored so far, with their latest reading. */
    private final Map<Series, HistogramPoint> points = new ConcurrentHashMap<>();

    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private long refreshedAt = System.nanoTime() - 2 * REFRESH_NANOS; // guarded by this
    private volatile boolean closed;

    private MeterMirror(PrometheusMeterRegistry source, MeterRegistry target) {
        this.source = source;
        this.target = target;
        NamingConvention convention = source.config().namingConvention();
        for (String name : NATIVE_HISTOGRAMS) {
            String family = convention.name(name, Meter.Type.TIMER, "seconds");
            histogramNames.put(family, name);
            maxFamilies.put(family + "_max", family);
        }
    }

    /** Mirrors {@code source}'s meters into {@code target} from now on (until {@link #close()}), and those it has. */
    public static MeterMirror start(PrometheusMeterRegistry source, MeterRegistry target) {
        MeterMirror mirror = new MeterMirror(source, target);
        source.config().onMeterAdded(mirror::add).onMeterRemoved(mirror::remove);
        for (Meter meter : source.getMeters()) {
            mirror.add(meter);
        }
        mirror.discover();
        return mirror;
    }

    /** Adds the histogram series the Prometheus registry has and this does not yet (and reads them all). */
    public void discover() {
        if (!closed) {
            refresh(true);
        }
    }

    /** Stops mirroring: meters added to the Prometheus registry from now on are not mirrored. */
    @Override
    public void close() {
        closed = true;
    }

    private void add(Meter meter) {
        if (closed) {
            return;
        }
        try {
            mirrors.computeIfAbsent(meter.getId(), id -> mirror(meter));
        } catch (RuntimeException e) { // the listener runs inside the Prometheus registry's registration
            warnOnce(meter.getId().getName(), e);
        }
    }

    private void remove(Meter meter) {
        List<Meter> mirrored = mirrors.remove(meter.getId());
        if (mirrored != null) {
            mirrored.forEach(target::remove);
        }
    }

    private List<Meter> mirror(Meter meter) {
        Meter.Id id = meter.getId();
        String name = id.getName();
        Tags tags = Tags.of(id.getTagsAsIterable());
        String description = id.getDescription();
        String unit = id.getBaseUnit();
        return meter.match(
                (Gauge gauge) -> List.of(Gauge.builder(name, gauge, Gauge::value)
                        .tags(tags)
                        .description(description)
                        .baseUnit(unit)
                        .strongReference(true)
                        .register(target)),
                (Counter counter) -> List.of(FunctionCounter.builder(name, counter, Counter::count)
                        .tags(tags)
                        .description(description)
                        .baseUnit(unit)
                        .register(target)),
                (Timer timer) -> timer(name, tags, description, timer),
                this::generic,
                this::generic,
                (TimeGauge gauge) -> List.of(TimeGauge.builder(name, gauge, gauge.baseTimeUnit(), TimeGauge::value)
                        .tags(tags)
                        .description(description)
                        .strongReference(true)
                        .register(target)),
                (FunctionCounter counter) -> List.of(FunctionCounter.builder(name, counter, FunctionCounter::count)
                        .tags(tags)
                        .description(description)
                        .baseUnit(unit)
                        .register(target)),
                (FunctionTimer timer) -> List.of(FunctionTimer.builder(
                                name,
                                timer,
                                t -> (long) t.count(),
                                t -> t.totalTime(TimeUnit.NANOSECONDS),
                                TimeUnit.NANOSECONDS)
                        .tags(tags)
                        .description(description)
                        .register(target)),
                this::generic);
    }

    private List<Meter> timer(String name, Tags tags, @Nullable String description, Timer t) {
        return List.of(
                FunctionTimer.builder(
                                name, t, Timer::count, x -> x.totalTime(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS)
                        .tags(tags)
                        .description(description)
                        .register(target),
                TimeGauge.builder(name + ".max", t, TimeUnit.NANOSECONDS, x -> x.max(TimeUnit.NANOSECONDS))
                        .tags(tags)
                        .description(description == null ? null : description + " (maximum)")
                        .strongReference(true)
                        .register(target));
    }

    /** A meter of the same type whose measurements read {@code meter}'s. */
    private List<Meter> generic(Meter meter) {
        Meter.Id id = meter.getId();
        return List.of(Meter.builder(id.getName(), id.getType(), meter.measure())
                .tags(id.getTagsAsIterable())
                .description(id.getDescription())
                .baseUnit(id.getBaseUnit())
                .register(target));
    }

    // ------------------------------------------------------------------------------------ native histograms

    /** One series of a native histogram family: its family and labels. */
    private record Series(String family, Labels labels) {}

    /** The latest reading of one series, in seconds. */
    private static final class HistogramPoint {
        volatile long count;
        volatile double sumSeconds;
        volatile double maxSeconds;
    }

    /**
     * Reads the native histogram families from the Prometheus registry (when the last reading is older than 50 ms,
     * or always with {@code register}) and, with {@code register}, mirrors the series not mirrored yet.
     */
    private synchronized void refresh(boolean register) {
        long now = System.nanoTime();
        if (!register && now - refreshedAt < REFRESH_NANOS) {
            return;
        }
        refreshedAt = now;
        List<MetricSnapshot> maxima = new ArrayList<>();
        Map<Series, HistogramPoint> added = new LinkedHashMap<>();
        for (MetricSnapshot snapshot : source.getPrometheusRegistry()
                .scrape(name -> histogramNames.containsKey(name) || maxFamilies.containsKey(name))) {
            String family = snapshot.getMetadata().getPrometheusName();
            if (!(snapshot instanceof HistogramSnapshot histogram)) {
                maxima.add(snapshot);
                continue;
            }
            for (HistogramSnapshot.HistogramDataPointSnapshot data : histogram.getDataPoints()) {
                Series series = new Series(family, data.getLabels());
                HistogramPoint point = points.get(series);
                if (point == null) {
                    if (!register) {
                        continue; // a new series: discover() adds it before the next push
                    }
                    point = new HistogramPoint();
                    points.put(series, point);
                    added.put(series, point);
                }
                point.count = data.getCount();
                point.sumSeconds = data.getSum();
            }
        }
        for (MetricSnapshot snapshot : maxima) {
            String family = maxFamilies.get(snapshot.getMetadata().getPrometheusName());
            if (family == null || !(snapshot instanceof GaugeSnapshot gauge)) {
                continue;
            }
            for (GaugeSnapshot.GaugeDataPointSnapshot data : gauge.getDataPoints()) {
                HistogramPoint point = points.get(new Series(family, data.getLabels()));
                if (point != null) {
                    point.maxSeconds = data.getValue();
                }
            }
        }
        added.forEach(this::register);
    }

    private void register(Series series, HistogramPoint point) {
        String name = histogramNames.get(series.family());
        if (name == null) {
            return;
        }
        List<Tag> tags = new ArrayList<>();
        for (Label label : series.labels()) {
            tags.add(Tag.of(label.getName(), label.getValue()));
        }
        try {
            FunctionTimer.builder(
                            name,
                            point,
                            p -> {
                                refresh(false);
                                return p.count;
                            },
                            p -> {
                                refresh(false);
                                return p.sumSeconds;
                            },
                            TimeUnit.SECONDS)
                    .tags(tags)
                    .register(target);
            TimeGauge.builder(name + ".max", point, TimeUnit.SECONDS, p -> {
                        refresh(false);
                        return p.maxSeconds;
                    })
                    .tags(tags)
                    .strongReference(true)
                    .register(target);
        } catch (RuntimeException e) {
            warnOnce(name, e);
        }
    }

    private void warnOnce(String name, RuntimeException e) {
        if (warned.add(name)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "metrics: the meter ''{0}'' is not exported over OTLP: {1}",
                    name,
                    String.valueOf(e.getMessage()));
        }
    }
}
