package dev.portflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.metrics.LatencyHistogram;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.Ports;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SPEC's meters, by name and tags, through Micrometer's Prometheus registry and a plain registry. */
class PortMeterBinderTest {

    record Item(@Positive long n) {}

    private final OutputPort<Item> out = new OutputPort<>("out_items", Item.class);
    private final InputPort<Item> in = new InputPort<>("in_items", Item.class);

    @BeforeEach
    void wire() {
        out.measurements().component("producer");
        in.measurements().component("consumer");
        Ports.connect(out, in, 4, OverflowPolicy.DROP_NEWEST);
        in.onError(e -> {});
    }

    /** Sends 6 (2 dropped: drop_newest), receives 3 of which 1 invalid, leaving 1 buffered. */
    private void traffic() throws InterruptedException {
        out.send(new Item(1));
        out.send(new Item(-1)); // invalid at the receiver
        out.send(new Item(3));
        out.send(new Item(4));
        out.send(new Item(5)); // dropped
        out.send(new Item(6)); // dropped
        assertThat(in.receive()).isEqualTo(new Item(1));
        assertThat(in.receive()).isEqualTo(new Item(3)); // skips the invalid one
    }

    // ---- Prometheus ----

    /** One sample line of the text exposition. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static List<Sample> parse(String scrape) {
        List<Sample> samples = new ArrayList<>();
        for (String line : scrape.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.trim());
            assertThat(m.matches()).as("line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String v = m.group(3);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            samples.add(new Sample(m.group(1), labels, value));
        }
        return samples;
    }

    private static List<Sample> find(List<Sample> samples, String name, String port) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && port.equals(s.labels().get("port")))
                .toList();
    }

    private static double single(List<Sample> samples, String name, String port, String... extraLabels) {
        List<Sample> found = new ArrayList<>(find(samples, name, port));
        for (int i = 0; i < extraLabels.length; i += 2) {
            String key = extraLabels[i];
            String value = extraLabels[i + 1];
            found.removeIf(s -> !value.equals(s.labels().get(key)));
        }
        assertThat(found).as("%s{port=%s}", name, port).hasSize(1);
        return found.get(0).value();
    }

    @Test
    void prometheusScrapeHasTheSpecNamesWithTheirTags() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PortMeterBinder.bind(registry, "shop", out.measurements());
        PortMeterBinder.bind(registry, "shop", in.measurements());
        traffic();
        List<Sample> samples = parse(registry.scrape());

        for (Sample s : samples) {
            if (s.name().startsWith("portflow_port_")) {
                assertThat(s.labels())
                        .as("%s", s)
                        .containsKeys("pipeline", "component", "port")
                        .containsEntry("pipeline", "shop");
            }
        }
        assertThat(single(samples, "portflow_port_messages_out_total", "out_items"))
                .isEqualTo(4.0);
        assertThat(single(samples, "portflow_port_messages_in_total", "in_items"))
                .isEqualTo(2.0 + 1); // incl. invalid
        assertThat(single(samples, "portflow_port_messages_dropped_total", "out_items", "reason", "drop_newest"))
                .isEqualTo(2.0);
        for (String reason : List.of("drop_oldest", "timeout", "fail", "closed")) {
            assertThat(single(samples, "portflow_port_messages_dropped_total", "out_items", "reason", reason))
                    .isZero();
        }
        assertThat(single(samples, "portflow_port_messages_dropped_total", "in_items", "reason", "invalid"))
                .isEqualTo(1.0);
        assertThat(single(samples, "portflow_port_messages_dropped_total", "in_items", "reason", "filtered"))
                .isZero();
        assertThat(single(samples, "portflow_port_errors_total", "in_items", "error_type", "InvalidMessageException"))
                .isEqualTo(1.0);
        assertThat(single(samples, "portflow_port_queue_depth", "out_items")).isEqualTo(1.0);
        assertThat(single(samples, "portflow_port_queue_depth", "in_items")).isEqualTo(1.0);
        assertThat(single(samples, "portflow_port_buffer_capacity", "in_items")).isEqualTo(4.0);
        assertThat(single(samples, "portflow_port_buffer_utilization", "in_items"))
                .isEqualTo(0.25);
        assertThat(single(samples, "portflow_port_buffer_utilization", "out_items"))
                .isEqualTo(0.25);
        assertThat(single(samples, "portflow_port_oldest_message_age_seconds", "in_items"))
                .isGreaterThanOrEqualTo(0.0);
        assertThat(single(samples, "portflow_port_last_activity", "in_items"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
        assertThat(single(samples, "portflow_port_clock_skew_total", "in_items"))
                .isZero();
        assertThat(find(samples, "portflow_port_queue_depth", "in_items").get(0).labels())
                .containsEntry("component", "consumer");
        assertThat(find(samples, "portflow_port_queue_depth", "out_items")
                        .get(0)
                        .labels())
                .containsEntry("component", "producer");

        // The receive-side histograms and the send-side one, with buckets.
        for (String family : List.of(
                "portflow_port_queue_wait_seconds",
                "portflow_port_message_age_seconds",
                "portflow_port_process_duration_seconds")) {
            assertThat(find(samples, family + "_bucket", "in_items")).as(family).isNotEmpty();
            assertThat(find(samples, family + "_count", "in_items")).as(family).hasSize(1);
            assertThat(find(samples, family + "_sum", "in_items")).as(family).hasSize(1);
            assertThat(find(samples, family + "_max", "in_items")).as(family).hasSize(1);
        }
        assertThat(find(samples, "portflow_port_blocked_duration_seconds_bucket", "out_items"))
                .isNotEmpty();
        assertThat(single(samples, "portflow_port_queue_wait_seconds_count", "in_items"))
                .isEqualTo(3.0);
    }

    @Test
    void histogramBucketsAreCumulativeAndInfEqualsCount() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PortMeterBinder.bind(registry, "shop", in.measurements());
        // Known samples straight into the histogram: one per decade from 1 µs to 10 s, plus one overflow.
        LatencyHistogram h = in.measurements().queueWait;
        long[] values = {
            1_000,
            1_536,
            10_000,
            100_000,
            1_000_000,
            10_000_000,
            100_000_000,
            1_000_000_000L,
            10_000_000_000L,
            200_000_000_000L
        };
        for (long v : values) {
            h.record(v);
        }
        List<Sample> samples = parse(registry.scrape());
        List<Sample> buckets = find(samples, "portflow_port_queue_wait_seconds_bucket", "in_items");
        assertThat(buckets).hasSizeGreaterThan(10);
        double previousLe = Double.NEGATIVE_INFINITY;
        double previousCount = 0;
        for (Sample b : buckets) {
            double le = Double.parseDouble(
                    Objects.requireNonNull(b.labels().get("le")).replace("+Inf", "Infinity"));
            assertThat(le).as("le ascending").isGreaterThan(previousLe);
            assertThat(b.value()).as("cumulative at le=%s", le).isGreaterThanOrEqualTo(previousCount);
            // Each bucket counts exactly the samples <= its le (le semantics, le given in seconds).
            long expected = java.util.Arrays.stream(values)
                    .filter(v -> v / 1e9 <= le * (1 + 1e-12))
                    .count();
            assertThat((long) b.value()).as("samples <= %s s", le).isEqualTo(expected);
            previousLe = le;
            previousCount = b.value();
        }
        double inf = single(samples, "portflow_port_queue_wait_seconds_bucket", "in_items", "le", "+Inf");
        double count = single(samples, "portflow_port_queue_wait_seconds_count", "in_items");
        assertThat(inf).isEqualTo(count).isEqualTo(values.length);
        assertThat(single(samples, "portflow_port_queue_wait_seconds_sum", "in_items"))
                .isCloseTo(java.util.Arrays.stream(values).sum() / 1e9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(single(samples, "portflow_port_queue_wait_seconds_max", "in_items"))
                .isEqualTo(200.0);
        // 1.536 µs is exactly an exported bound: it is inside that bucket
        assertThat(single(samples, "portflow_port_queue_wait_seconds_bucket", "in_items", "le", "1.536E-6"))
                .isEqualTo(2.0);
    }

    @Test
    void infBucketFollowsLiveTraffic() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PortMeterBinder.bind(registry, "shop", in.measurements());
        PortMeterBinder.bind(registry, "shop", out.measurements());
        traffic();
        in.receive(Duration.ofSeconds(1));
        List<Sample> samples = parse(registry.scrape());
        double inf = single(samples, "portflow_port_queue_wait_seconds_bucket", "in_items", "le", "+Inf");
        assertThat(inf)
                .isEqualTo(single(samples, "portflow_port_queue_wait_seconds_count", "in_items"))
                .isEqualTo(4.0);
        assertThat(single(samples, "portflow_port_message_age_seconds_bucket", "in_items", "le", "+Inf"))
                .isEqualTo(4.0);
        assertThat(single(samples, "portflow_port_queue_depth", "in_items")).isZero();
        assertThat(single(samples, "portflow_port_buffer_utilization", "in_items"))
                .isZero();
    }

    @Test
    void twoPortsShareAFamilyWithDistinctLabels() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InputPort<Item> other = new InputPort<>("in_other", Item.class);
        Ports.connect(new OutputPort<>("out_other", Item.class), other);
        PortMeterBinder.bind(registry, "shop", in.measurements());
        PortMeterBinder.bind(registry, "shop", other.measurements());
        out.send(new Item(1));
        in.receive();
        List<Sample> samples = parse(registry.scrape());
        assertThat(single(samples, "portflow_port_queue_wait_seconds_count", "in_items"))
                .isEqualTo(1.0);
        assertThat(single(samples, "portflow_port_queue_wait_seconds_count", "in_other"))
                .isZero();
        assertThat(registry.scrape().split("# TYPE portflow_port_queue_wait_seconds histogram", -1))
                .hasSize(2);
    }

    // ---- other registries ----

    @Test
    void simpleRegistryGetsFunctionTimersWithExactCounts() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PortMeterBinder.bind(registry, "shop", out.measurements());
        PortMeterBinder.bind(registry, "shop", in.measurements());
        traffic();

        FunctionTimer wait =
                registry.get("portflow.port.queue.wait").tag("port", "in_items").functionTimer();
        assertThat(wait.count()).isEqualTo(3.0);
        assertThat(wait.totalTime(TimeUnit.NANOSECONDS))
                .isCloseTo(in.measurements().queueWait.sumNanos(), org.assertj.core.data.Offset.offset(1.0));
        FunctionTimer age = registry.get("portflow.port.message.age")
                .tag("port", "in_items")
                .functionTimer();
        assertThat(age.count()).isEqualTo(3.0);
        assertThat(registry.get("portflow.port.process.duration")
                        .tag("port", "in_items")
                        .functionTimer()
                        .count())
                .isZero();
        assertThat(registry.get("portflow.port.blocked.duration")
                        .tag("port", "out_items")
                        .functionTimer()
                        .count())
                .isZero();
        assertThat(registry.get("portflow.port.messages.in")
                        .tag("port", "in_items")
                        .functionCounter()
                        .count())
                .isEqualTo(3.0);
        assertThat(registry.get("portflow.port.messages.out")
                        .tag("port", "out_items")
                        .functionCounter()
                        .count())
                .isEqualTo(4.0);
        assertThat(registry.get("portflow.port.messages.dropped")
                        .tags("port", "out_items", "reason", "drop_newest")
                        .functionCounter()
                        .count())
                .isEqualTo(2.0);

        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith("portflow.port.");
            assertThat(meter.getId().getTag("pipeline")).isEqualTo("shop");
            assertThat(meter.getId().getTag("component")).isIn("producer", "consumer");
            assertThat(meter.getId().getTag("port")).isIn("in_items", "out_items");
        }
        // Direction-specific meters only on their side.
        assertThat(registry.find("portflow.port.messages.in")
                        .tag("port", "out_items")
                        .meters())
                .isEmpty();
        assertThat(registry.find("portflow.port.messages.out")
                        .tag("port", "in_items")
                        .meters())
                .isEmpty();
        assertThat(registry.find("portflow.port.messages.dropped")
                        .tags("port", "in_items", "reason", "drop_newest")
                        .meters())
                .isEmpty();
    }

    @Test
    void aCompositeRegistryFeedsEachMember() throws Exception {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(simple);
        composite.add(prometheus);
        PortMeterBinder.bind(composite, "shop", in.measurements());
        traffic();
        assertThat(simple.get("portflow.port.queue.wait").functionTimer().count())
                .isEqualTo(3.0);
        List<Sample> samples = parse(prometheus.scrape());
        assertThat(single(samples, "portflow_port_queue_wait_seconds_bucket", "in_items", "le", "+Inf"))
                .isEqualTo(3.0);
    }
}
