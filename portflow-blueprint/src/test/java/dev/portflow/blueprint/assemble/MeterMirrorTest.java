package dev.portflow.blueprint.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import dev.portflow.metrics.HistogramMeters;
import dev.portflow.metrics.LatencyHistogram;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link MeterMirror}: every meter of a Prometheus registry read live from a second registry, those there before and
 * those added after, removals too; the latency histograms core exports natively as a count and total with their
 * maximum; nothing that goes wrong in the second registry reaches a registration in the first.
 */
class MeterMirrorTest {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SimpleMeterRegistry target = new SimpleMeterRegistry();

    @Test
    void everyKindOfMeterIsReadLiveFromThePrometheusRegistry() {
        Counter before = Counter.builder("c.before")
                .tag("k", "v")
                .description("there before")
                .baseUnit("messages")
                .register(prometheus);
        before.increment(2);
        MeterMirror mirror = MeterMirror.start(prometheus, target);

        Counter counter = prometheus.counter("c", "k", "v");
        AtomicLong functionCount = new AtomicLong();
        FunctionCounter.builder("fc", functionCount, AtomicLong::get).register(prometheus);
        AtomicInteger level = prometheus.gauge("g", Tags.of("k", "v"), new AtomicInteger(5));
        AtomicLong uptimeMillis = new AtomicLong(1500);
        TimeGauge.builder("tg", uptimeMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
                .register(prometheus);
        Timer timer = prometheus.timer("t");
        timer.record(Duration.ofMillis(10));
        timer.record(Duration.ofMillis(20));
        AtomicLong[] timed = {new AtomicLong(3), new AtomicLong(40)}; // count, total ms
        FunctionTimer.builder("ft", timed, t -> t[0].get(), t -> t[1].get(), TimeUnit.MILLISECONDS)
                .register(prometheus);
        DistributionSummary summary = prometheus.summary("s");
        summary.record(2);
        summary.record(3);

        counter.increment(4);
        before.increment();
        functionCount.set(7);
        level.set(9);
        uptimeMillis.set(2500);
        timed[0].set(4);

        Meter mirroredBefore = target.get("c.before").tag("k", "v").functionCounter();
        assertThat(target.get("c.before").functionCounter().count()).isEqualTo(3.0);
        assertThat(mirroredBefore.getId().getDescription()).isEqualTo("there before");
        assertThat(mirroredBefore.getId().getBaseUnit()).isEqualTo("messages");
        assertThat(target.get("c").tag("k", "v").functionCounter().count()).isEqualTo(4.0);
        assertThat(target.get("fc").functionCounter().count()).isEqualTo(7.0);
        assertThat(target.get("g").tag("k", "v").gauge().value()).isEqualTo(9.0);
        assertThat(target.get("tg").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(2500.0);
        FunctionTimer mirroredTimer = target.get("t").functionTimer();
        assertThat(mirroredTimer.count()).isEqualTo(2.0);
        assertThat(mirroredTimer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
        assertThat(target.get("t.max").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
        assertThat(target.get("ft").functionTimer().count()).isEqualTo(4.0);
        assertThat(target.get("ft").functionTimer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(40.0);
        Meter mirroredSummary = target.get("s").meter();
        assertThat(mirroredSummary.getId().getType()).isEqualTo(Meter.Type.DISTRIBUTION_SUMMARY);
        assertThat(mirroredSummary.measure())
                .anySatisfy(m -> assertThat(m.getValue()).isEqualTo(5.0)); // the total
        summary.record(5);
        assertThat(mirroredSummary.measure())
                .anySatisfy(m -> assertThat(m.getValue()).isEqualTo(10.0));

        prometheus.remove(counter);
        assertThat(target.find("c").meter()).as("removed with it").isNull();

        mirror.close();
        prometheus.counter("after.close");
        assertThat(target.find("after.close").meter()).isNull();
    }

    @Test
    void theNativeHistogramsAreCountAndTotalWithTheirMaximum() throws Exception {
        LatencyHistogram wait = new LatencyHistogram();
        wait.record(1_000_000);
        wait.record(3_000_000);
        Tags tags = Tags.of("pipeline", "p", "component", "c", "port", "in_x", "transport", "memory");
        HistogramMeters.register(prometheus, "portflow.port.queue.wait", "Enqueue to dequeue", tags, wait);
        assertThat(prometheus.find("portflow.port.queue.wait").meter())
                .as("a Prometheus collector, not a Micrometer meter")
                .isNull();

        MeterMirror mirror = MeterMirror.start(prometheus, target);
        FunctionTimer mirrored =
                target.get("portflow.port.queue.wait").tags(tags).functionTimer();
        assertThat(mirrored.count()).isEqualTo(2.0);
        assertThat(mirrored.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(4.0, within(1e-9));
        TimeGauge max = target.get("portflow.port.queue.wait.max").tags(tags).timeGauge();
        assertThat(max.value(TimeUnit.MILLISECONDS)).isCloseTo(3.0, within(1e-9));

        wait.record(7_000_000);
        Thread.sleep(60); // a reading is kept for 50 ms at most
        assertThat(mirrored.count()).isEqualTo(3.0);
        assertThat(mirrored.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(11.0, within(1e-9));
        assertThat(max.value(TimeUnit.MILLISECONDS)).isCloseTo(7.0, within(1e-9));

        LatencyHistogram blocked = new LatencyHistogram();
        blocked.record(2_000_000);
        Tags out = Tags.of("pipeline", "p", "component", "c", "port", "out_x", "transport", "memory");
        HistogramMeters.register(prometheus, "portflow.port.blocked.duration", "Blocked", out, blocked);
        assertThat(target.find("portflow.port.blocked.duration").meter())
                .as("found by the next discover(), which each push runs first")
                .isNull();
        mirror.discover();
        assertThat(target.get("portflow.port.blocked.duration")
                        .tags(out)
                        .functionTimer()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aMeterTheSecondRegistryRefusesIsLeftOutAndTheFirstRegistersIt() {
        Gauge.builder("clash", () -> 1.0).register(target); // the mirror of a counter "clash" cannot be registered
        MeterMirror.start(prometheus, target);
        assertThatCode(() -> prometheus.counter("clash").increment()).doesNotThrowAnyException();
        assertThat(prometheus.get("clash").counter().count()).isEqualTo(1.0);
        prometheus.counter("next").increment();
        assertThat(target.get("next").functionCounter().count())
                .as("mirroring goes on")
                .isEqualTo(1.0);
    }
}
