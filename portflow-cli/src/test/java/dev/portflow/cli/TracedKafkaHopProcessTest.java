package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import dev.portflow.kafka.EmbeddedKafkaBroker;
import dev.portflow.kafka.EmbeddedKafkaExtension;
import dev.portflow.message.JsonMessage;
import dev.portflow.tracing.OtlpTestReceiver;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's tracing acceptance, end to end: one blueprint as two {@code portflow run} processes
 * joined by a Kafka edge (a real KRaft broker in this JVM), both exporting spans over OTLP
 * (http/protobuf) to one {@link OtlpTestReceiver}, which decodes the protobuf.
 *
 * <pre>
 * sender   (--only api,stall,map):  api (api_endpoint) -> stall -> map (recipe map) -[kafka]->
 * receiver (--only store):                                                      -[kafka]-> store (H2)
 * </pre>
 *
 * {@code stall} ({@link Stall}) holds a message for its {@code stall_ms} field, so the same pipeline in
 * the same processes carries messages that stall 0 ms and {@value #STALL_MS} ms. The blueprint traces with
 * {@code sample_ratio: 0.0} and {@code slow_ms: 60000}: only a request with a sampled {@code traceparent}
 * is traced (such a one is always continued). After {@value #WARM_UP} untraced warm-up messages (sent
 * {@value #WARM_UP_SENDERS} at a time, so that the stages' code, the store's JDBC path above all, runs
 * compiled when timed) and {@value #TRACED_WARM_UP_PAIRS} traced warm-up pairs (the first traced message of
 * a JVM loads the classes of the traced paths: tens of milliseconds that are not what is measured here),
 * {@value #PAIRS} measured pairs of traced requests (stall 0, then stall {@value #STALL_MS}), each with a
 * {@code traceparent} whose trace id and span id the test chose, one at a time: the next is posted once the
 * receiving group has committed the record of the last (watched at the broker). Nothing scrapes the
 * processes meanwhile, and their spans stay in the SDK's batch ({@code OTEL_BSP_SCHEDULE_DELAY} 10 minutes)
 * until SIGTERM, when each exports them as it closes the SDK after the drain; so no export runs while
 * messages are timed.
 *
 * <p><b>The trace</b> (every traced request, warm-up ones included). Every span received belongs to one of
 * the chosen traces (the untraced warm-up left none). Each trace has exactly the spans {@code enter api},
 * {@code wait stall.in_orders}, {@code stall}, {@code wait map.in_orders}, {@code map} from the sending
 * process and {@code wait store.in_orders}, {@code store} from the receiving one (told apart by their
 * resource's {@code service.instance.id}, set through {@code OTEL_RESOURCE_ATTRIBUTES}); the entry span's
 * parent is the span id of the request's {@code traceparent}, and the 202's {@code traceresponse} names
 * the entry span; each stage's wait and stage span are children of the span that sent the message (across
 * the Kafka hop: {@code map}'s).
 *
 * <p><b>Exemplars.</b> {@code GET /metrics} with {@code Accept: application/openmetrics-text;
 * version=1.0.0} on each process (before SIGTERM) answers OpenMetrics whose age, queue-wait or processing
 * histogram buckets carry exemplars, every one naming a trace the OTLP receiver got, and each process
 * names at least one; a plain {@code GET /metrics} stays Prometheus text 0.0.4 without exemplars.
 *
 * <p><b>Span times.</b> A span's start and end are the epoch nanoseconds it was exported with: its
 * process's clock readings mapped to wall time by that process's {@code EpochClock}; both processes run on
 * this host, so on one wall clock. The spans along a message's path, in order, are the chain {@code C =
 * enter api, wait stall.in_orders, stall, wait map.in_orders, map, wait store.in_orders, store}; each wait
 * starts at the hand-off, inside the span that sent the message, which goes on by the rest of its send
 * (docs/tracing.md). For every measured message:
 *
 * <ul>
 *   <li>in the sending process, each wait starts inside the span that sent it, exactly ({@code
 *       sender.start <= wait.start <= sender.end});
 *   <li>across the Kafka hop, against the produce time the record itself carries ({@code
 *       portflow-produced-at-nanos}, read back from the topic): it lies inside {@code map}'s span, and
 *       {@code wait store.in_orders} starts at it, each to within {@value #HOP_SLACK_NANOS} ns (how far the
 *       two processes' mappings to wall time may disagree). This splits a bad boundary at the hop into the
 *       sending and the receiving side.
 * </ul>
 *
 * <p><b>Durations add up to the end-to-end age within 5 %.</b> A message's end-to-end age is {@code age =
 * store.end - (enter api).start}: from the start of the request's handling to the end of the store's
 * insert. The sum is {@code sum = Σ_{s in C} (s.end - s.start)}. As the spans tile the message's life,
 * {@code sum - age} is their overlaps (the send tails) minus their gaps. Asserted for the measured messages
 * that stalled (each {@code age >= 50 ms}, so 5 % is at least 2.5 ms): the median of {@code (sum - age) /
 * age} is within ±5 %, the median so that one message whose sending stage was descheduled in the tail of its
 * send does not decide, where a fault of the spans shows in every message. For the ones that did not stall,
 * whose age is a few milliseconds to a few tens (5 % is then down to a few hundred microseconds, less than a
 * send tail on a busy 2-core host), the figures are printed, not asserted.
 *
 * <p><b>A stage made to stall 50 ms shows up as at least 95 % of the extra time in that stage's span.</b>
 * The extra time is split by span: for each span of {@code C}, the median of how much longer it was for a
 * stalled message than for an unstalled one, over every such couple of measured messages (so that one
 * message's hiccup elsewhere does not decide; time that leaked from the stall into another span would show
 * in every couple). The stall span's part must be at least 95 % of the extra time, where another span's
 * part counts beyond its own noise (two standard errors of its shift: the Kafka hop's wait and the store's
 * insert vary by milliseconds on a busy host, the sending process's spans by tens to hundreds of
 * microseconds). And the stall span's part is at least 95 % of the {@value #STALL_MS} ms.
 *
 * <p>All timing problems are reported together; the figures (ages, sums, deviations, the overlaps at each
 * boundary, the hop's split, the extra time by span) are printed.
 */
@Timeout(120)
public class TracedKafkaHopProcessTest {

    private static final int PAIRS = 11;
    private static final int TRACED_WARM_UP_PAIRS = 3;
    private static final int WARM_UP = 1_000;
    private static final int WARM_UP_SENDERS = 8;
    private static final long STALL_MS = 50;
    private static final long MS = 1_000_000L;
    /** How far the two processes' mappings of their clocks to wall time may disagree (one host). */
    private static final long HOP_SLACK_NANOS = 500_000L;

    private static final List<String> SENDER_SPANS =
            List.of("enter api", "wait stall.in_orders", "stall", "wait map.in_orders", "map");
    private static final List<String> RECEIVER_SPANS = List.of("wait store.in_orders", "store");
    private static final List<String> CHAIN = List.of(
            "enter api", "wait stall.in_orders", "stall", "wait map.in_orders", "map", "wait store.in_orders", "store");

    private static final String OPEN_METRICS_ACCEPT = "application/openmetrics-text; version=1.0.0";
    private static final Pattern EXEMPLAR = Pattern.compile(
            "^(portflow_port_(?:message_age|queue_wait|process_duration)_seconds_bucket)\\{[^}]*\\} \\S+"
                    + " # \\{([^}]*)\\} \\S+.*$",
            Pattern.MULTILINE);
    private static final Pattern TRACE_ID = Pattern.compile("trace_id=\"([0-9a-f]{32})\"");
    private static final HexFormat HEX = HexFormat.of();
    /** The receiving side's consumer group: {@code portflow.<pipeline>.<component>.<port>}. */
    private static final String GROUP = "portflow.hop.store.in_orders";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /**
     * The stage made to stall: holds each message for its {@code stall_ms} field (0 when it has none), then
     * passes it on. A {@code class:} component of the blueprint (the processes run on this test's class path).
     */
    public static final class Stall implements Transformer<JsonMessage, JsonMessage> {
        @Override
        public void transform(JsonMessage message, Emitter<JsonMessage> out) throws Exception {
            if (message.fields().get("stall_ms") instanceof Number ms && ms.longValue() > 0) {
                Thread.sleep(ms.longValue());
            }
            out.emit(message);
        }
    }

    /** One traced request: the context the test gave it, how long it asked to stall, and whether it is measured. */
    private record Traced(String traceId, String parentSpanId, long stallMs, boolean measured) {
        String traceparent() {
            return "00-" + traceId + "-" + parentSpanId + "-01";
        }
    }

    /** One traced message's spans by name, and the produce time its Kafka record carries (epoch nanoseconds). */
    private record Trace(Traced request, Map<String, ReceivedSpan> spans, long producedAtNanos) {
        ReceivedSpan span(String name) {
            return Objects.requireNonNull(spans.get(name), () -> "no span '" + name + "' in " + spans.keySet());
        }

        long duration(String name) {
            ReceivedSpan s = span(name);
            return s.endNanos() - s.startNanos();
        }

        /** The end-to-end age: the end of the store's span minus the start of the entry span. */
        long age() {
            return span("store").endNanos() - span("enter api").startNanos();
        }

        long sum() {
            return CHAIN.stream().mapToLong(this::duration).sum();
        }
    }

    @Test
    void aTracedRequestsSpansTileItsAgeAcrossTheKafkaHopAndItsExemplarsNameIt(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("hop");
        KAFKA.broker().createTopic(topic, 1);
        int senderPort = PortflowProcess.freePort();
        int receiverPort = PortflowProcess.freePort();
        Path blueprint = Files.writeString(dir.resolve("hop.yaml"), """
                name: hop
                kafka: {bootstrap_servers: "%s", lag_refresh_ms: 50}
                tracing: {sample_ratio: 0.0, slow_ms: 60000}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders, timeout_ms: 5000}}
                  - {name: stall, class: %s}
                  - {name: map, recipe: map, config: {fields: {checked: "true"}}}
                  - {name: store, recipe: store}
                connections:
                  - {from: api.out_requests, to: stall.in_orders}
                  - {from: stall.out_orders, to: map.in_orders}
                  - {from: map.out_orders, to: store.in_orders, transport: kafka, topic: %s}
                """.formatted(
                        KAFKA.broker().bootstrapServers(), Stall.class.getName(), topic));
        try (OtlpTestReceiver otlp = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()));
                PortflowProcess sender = start(dir, blueprint, otlp, "sender", "api,stall,map", senderPort);
                PortflowProcess receiver = start(dir, blueprint, otlp, "receiver", "store", receiverPort)) {
            sender.awaitReady(senderPort);
            receiver.awaitReady(receiverPort);
            assertThat(sender.output()).contains("tracing:   OpenTelemetry, sample_ratio 0.0, slow_ms 60000");
            TopicPartition partition = new TopicPartition(topic, 0);

            // untraced warm-up: the producer has the topic's metadata, the consumer its partition, the JITs
            // their paths; nothing of it is traced (ratio 0, nothing near 60 s old). Sent by a few senders at
            // once, so that the stages' code (the store's JDBC path above all) is compiled before anything
            // is timed
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < WARM_UP; i++) {
                    String body = "{\"warm_up\":" + i + "}";
                    statuses.add(senders.submit(
                            () -> post(client, senderPort, null, body).statusCode()));
                    if (statuses.size() % WARM_UP_SENDERS == 0) { // at most WARM_UP_SENDERS in flight
                        for (Future<Integer> status : statuses) {
                            assertThat(status.get()).isEqualTo(202);
                        }
                        statuses.clear();
                    }
                }
                for (Future<Integer> status : statuses) {
                    assertThat(status.get()).isEqualTo(202);
                }
            }
            awaitCommitted(admin, partition, WARM_UP);

            // the traced requests, one at a time: each is stored and its record committed before the next
            // is posted (watched at the broker: nothing scrapes the processes meanwhile, and their spans
            // wait in the batch until they stop)
            List<Traced> traced = new ArrayList<>();
            Map<String, String> entrySpans = new HashMap<>(); // trace id -> the traceresponse's span id
            for (int pair = -TRACED_WARM_UP_PAIRS; pair < PAIRS; pair++) { // pairs below 0: the traced warm-up
                for (long stallMs : new long[] {0, STALL_MS}) {
                    Traced t = new Traced(randomHex(16), randomHex(8), stallMs, pair >= 0);
                    traced.add(t);
                    HttpResponse<String> accepted = post(
                            client,
                            senderPort,
                            t.traceparent(),
                            "{\"pair\":" + pair + ",\"stall_ms\":" + stallMs + "}");
                    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                    String traceresponse =
                            accepted.headers().firstValue("traceresponse").orElse("");
                    assertThat(traceresponse)
                            .as("the 202 names the request's trace and its entry span")
                            .matches("00-" + t.traceId() + "-[0-9a-f]{16}-01");
                    entrySpans.put(t.traceId(), traceresponse.substring(36, 52));
                    awaitCommitted(admin, partition, WARM_UP + traced.size());
                }
            }

            // the exemplars now, while the processes run; their trace ids are checked once the spans are in
            Map<Integer, HttpResponse<String>> openMetrics = new LinkedHashMap<>();
            Map<Integer, HttpResponse<String>> plainMetrics = new LinkedHashMap<>();
            for (int port : new int[] {senderPort, receiverPort}) {
                openMetrics.put(port, metrics(client, port, OPEN_METRICS_ACCEPT));
                plainMetrics.put(port, metrics(client, port, null));
            }

            // SIGTERM: each drains and closes its SDK, which exports the spans still in the batch
            sender.signal();
            receiver.signal();
            assertThat(sender.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(receiver.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sender.process.exitValue()).as(sender.output()).isZero();
            assertThat(receiver.process.exitValue()).as(receiver.output()).isZero();
            Set<String> tracedIds = traced.stream().map(Traced::traceId).collect(Collectors.toSet());
            // each exported what it had before it exited (the receiver took it before it answered)
            List<ReceivedSpan> all = otlp.spans();

            // nothing but the chosen traces: the warm-up was not traced, no late (slow) trace started
            assertThat(all).extracting(ReceivedSpan::traceId).allMatch(tracedIds::contains);
            Map<String, Long> producedAt = producedAtByTrace(topic, traced.size());
            List<Trace> traces = new ArrayList<>();
            for (Traced t : traced) {
                traces.add(new Trace(
                        t,
                        checkTrace(t, all, Objects.requireNonNull(entrySpans.get(t.traceId()))),
                        Objects.requireNonNull(
                                producedAt.get(t.traceId()), () -> "no traced record of trace " + t.traceId())));
            }
            Set<String> received = all.stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
            openMetrics.forEach((port, response) -> checkOpenMetrics(port, response, received));
            plainMetrics.forEach(TracedKafkaHopProcessTest::checkPlainMetrics);

            List<Trace> measured =
                    traces.stream().filter(t -> t.request().measured()).toList();
            print(traces);
            // every timing problem at once, so that one run shows which boundary, tiling or share is off
            List<String> failures = new ArrayList<>(boundaryProblems(measured));
            failures.addAll(tilingProblems(measured));
            failures.addAll(stallShareProblems(measured));
            assertThat(failures).as("the span times of the measured messages").isEmpty();
        }
    }

    /** Waits until the receiving group has committed the partition up to {@code offset}: all before it is done. */
    private static void awaitCommitted(Admin admin, TopicPartition partition, long offset) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(partition);
                    return committed != null && committed.offset() >= offset;
                });
    }

    /** The trace of {@code t}: its seven spans by name, after checking their names, parents, kinds and processes. */
    private static Map<String, ReceivedSpan> checkTrace(Traced t, List<ReceivedSpan> all, String entrySpanId) {
        List<ReceivedSpan> spans =
                all.stream().filter(s -> s.traceId().equals(t.traceId())).toList();
        assertThat(spans)
                .as("the spans of trace %s", t.traceId())
                .extracting(ReceivedSpan::name)
                .containsExactlyInAnyOrderElementsOf(CHAIN);
        Map<String, ReceivedSpan> byName = new LinkedHashMap<>();
        for (String name : CHAIN) {
            byName.put(name, only(spans, name));
        }
        Trace trace = new Trace(t, byName, 0L);
        ReceivedSpan enter = trace.span("enter api");
        assertThat(enter.parentSpanId())
                .as("the entry continues the caller's span")
                .isEqualTo(t.parentSpanId());
        assertThat(enter.spanId()).as("the traceresponse names the entry span").isEqualTo(entrySpanId);
        assertThat(enter.kind()).isEqualTo("PRODUCER");
        Map<String, String> parents = Map.of(
                "wait stall.in_orders", enter.spanId(),
                "stall", enter.spanId(),
                "wait map.in_orders", trace.span("stall").spanId(),
                "map", trace.span("stall").spanId(),
                "wait store.in_orders", trace.span("map").spanId(),
                "store", trace.span("map").spanId());
        parents.forEach((name, parent) -> assertThat(trace.span(name).parentSpanId())
                .as("parent of %s in trace %s", name, t.traceId())
                .isEqualTo(parent));
        for (String name : List.of("stall", "map", "store")) {
            assertThat(trace.span(name).kind()).as(name).isEqualTo("CONSUMER");
            assertThat(trace.span("wait " + name + ".in_orders").kind()).isEqualTo("INTERNAL");
        }
        for (String name : SENDER_SPANS) {
            assertThat(trace.span(name).resource())
                    .as("%s comes from the sending process", name)
                    .containsEntry("service.instance.id", "sender")
                    .containsEntry("service.name", "hop"); // the pipeline's name under portflow run
        }
        for (String name : RECEIVER_SPANS) {
            assertThat(trace.span(name).resource())
                    .as("%s comes from the receiving process", name)
                    .containsEntry("service.instance.id", "receiver")
                    .containsEntry("service.name", "hop"); // the pipeline's name under portflow run
        }
        byName.forEach((name, s) -> {
            assertThat(s.attributes()).as(name).containsEntry("portflow.pipeline", "hop");
            assertThat(s.endNanos()).as(name).isGreaterThanOrEqualTo(s.startNanos());
        });
        return byName;
    }

    /**
     * The produce time ({@code portflow-produced-at-nanos}) of each traced record in {@code topic}, by the
     * trace id of its {@code traceparent}, read with a consumer of the test's own.
     */
    private static Map<String, Long> producedAtByTrace(String topic, int count) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", KAFKA.broker().bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(),
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false");
        Map<String, Long> producedAt = new HashMap<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (producedAt.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Header traceparent = r.headers().lastHeader("traceparent");
                    Header nanos = r.headers().lastHeader("portflow-produced-at-nanos");
                    if (traceparent != null && nanos != null) {
                        producedAt.put(
                                new String(traceparent.value(), StandardCharsets.US_ASCII).substring(3, 35),
                                Long.parseLong(new String(nanos.value(), StandardCharsets.US_ASCII)));
                    }
                }
            }
        }
        return producedAt;
    }

    private static void print(List<Trace> traces) {
        System.out.println("traced messages (µs; * = warm-up): stall, age, sum of the chain's spans, (sum - age) / age;"
                + " overlap of each sender with the wait it started (negative: a gap); the hop split:"
                + " produce time - map.start, map.end - produce time, wait.start - produce time");
        for (Trace t : traces) {
            ReceivedSpan map = t.span("map");
            System.out.printf(
                    Locale.ROOT,
                    "%s %2d ms: age %9.1f, sum %9.1f, %+6.2f %%; overlaps enter %.1f, stall %.1f, map %.1f;"
                            + " hop %.1f, %.1f, %+.1f%n        %s%n",
                    t.request().measured() ? " " : "*",
                    t.request().stallMs(),
                    t.age() / 1e3,
                    t.sum() / 1e3,
                    100.0 * (t.sum() - t.age()) / t.age(),
                    overlap(t, "enter api", "wait stall.in_orders") / 1e3,
                    overlap(t, "stall", "wait map.in_orders") / 1e3,
                    overlap(t, "map", "wait store.in_orders") / 1e3,
                    (t.producedAtNanos() - map.startNanos()) / 1e3,
                    (map.endNanos() - t.producedAtNanos()) / 1e3,
                    (t.span("wait store.in_orders").startNanos() - t.producedAtNanos()) / 1e3,
                    CHAIN.stream()
                            .map(name -> String.format(Locale.ROOT, "%s %.1f", name, t.duration(name) / 1e3))
                            .collect(Collectors.joining(", ")));
        }
    }

    /** How far {@code sender} goes on after the wait it started began (negative: a gap between them). */
    private static long overlap(Trace t, String sender, String wait) {
        return t.span(sender).endNanos() - t.span(wait).startNanos();
    }

    /**
     * Each wait starts inside the span that sent the message: exactly in the sending process; across the
     * hop the record's produce time lies in {@code map}'s span and the receiving wait starts at it.
     */
    private static List<String> boundaryProblems(List<Trace> traces) {
        List<String> failures = new ArrayList<>();
        for (Trace t : traces) {
            for (String[] boundary :
                    new String[][] {{"enter api", "wait stall.in_orders"}, {"stall", "wait map.in_orders"}}) {
                ReceivedSpan from = t.span(boundary[0]);
                long start = t.span(boundary[1]).startNanos();
                if (start < from.startNanos() || start > from.endNanos()) {
                    failures.add(String.format(
                            Locale.ROOT,
                            "trace %s: '%s' starts %.1f µs after '%s' started, which lasted %.1f µs",
                            t.request().traceId(),
                            boundary[1],
                            (start - from.startNanos()) / 1e3,
                            boundary[0],
                            t.duration(boundary[0]) / 1e3));
                }
            }
            ReceivedSpan map = t.span("map");
            long produced = t.producedAtNanos();
            if (produced < map.startNanos() - HOP_SLACK_NANOS || produced > map.endNanos() + HOP_SLACK_NANOS) {
                failures.add(String.format(
                        Locale.ROOT,
                        "trace %s: the record was produced %.1f µs after 'map' started, which lasted %.1f µs",
                        t.request().traceId(),
                        (produced - map.startNanos()) / 1e3,
                        t.duration("map") / 1e3));
            }
            long waitStart = t.span("wait store.in_orders").startNanos();
            if (Math.abs(waitStart - produced) > HOP_SLACK_NANOS) {
                failures.add(String.format(
                        Locale.ROOT,
                        "trace %s: 'wait store.in_orders' starts %+.1f µs off the produce time its record carries (the"
                                + " receiving process's span times against the wall clock)",
                        t.request().traceId(),
                        (waitStart - produced) / 1e3));
            }
        }
        return failures;
    }

    /**
     * The chain tiles the age of the measured messages that stalled within 5 %: the median of their
     * deviations {@code (sum - age) / age}, so that one message whose sending stage was descheduled in the tail
     * of its send does not decide (a fault of the spans shows in every message).
     */
    private static List<String> tilingProblems(List<Trace> traces) {
        List<String> failures = new ArrayList<>();
        List<Double> deviations = new ArrayList<>();
        for (Trace t : traces) {
            if (t.request().stallMs() == 0) {
                continue; // printed only: see the class comment
            }
            if (t.age() < STALL_MS * MS) {
                failures.add(String.format(
                        Locale.ROOT,
                        "trace %s: a stalled message only %.1f µs old",
                        t.request().traceId(),
                        t.age() / 1e3));
            }
            deviations.add((t.sum() - t.age()) / (double) t.age());
        }
        double median = median(deviations);
        System.out.printf(
                Locale.ROOT,
                "stalled messages: the spans' durations add up to their age %+.2f %% (median of %s)%n",
                100 * median,
                percents(deviations));
        if (Math.abs(median) > 0.05) {
            failures.add(String.format(
                    Locale.ROOT,
                    "the spans' durations add up to the stalled messages' ages %+.2f %% off (median of %s), not"
                            + " within 5 %%",
                    100 * median,
                    percents(deviations)));
        }
        return failures;
    }

    /**
     * The {@value #STALL_MS} ms stall shows up as at least 95 % of the extra time, in the stall stage's span.
     * The extra time is split by span: for each span of the chain, the median of how much longer it was for
     * a stalled message than for an unstalled one, over all {@value #PAIRS} x {@value #PAIRS} such couples
     * (the Hodges-Lehmann shift: one message's hiccup in a stage does not decide; time that leaked out of the
     * stall span into another would show in every couple). Another span's extra time counts beyond its
     * noise, two standard errors of its shift ({@link #shiftStandardError}): on a busy 2-core host the Kafka
     * hop's wait varies by tens of milliseconds from one message to the next and the store's by several,
     * which moves their shifts by a few milliseconds either way, as much as the 5 % allowed (the hop's wait
     * is held at its start by the boundary checks instead: it starts at the record's produce time); the
     * sending process's spans, whose noise is tens to hundreds of microseconds, count nearly all of it. The
     * stall span's share of the extra time (its own plus the others' beyond their noise) must be at least
     * 95 %.
     */
    private static List<String> stallShareProblems(List<Trace> traces) {
        List<String> failures = new ArrayList<>();
        List<Trace> unstalled =
                traces.stream().filter(t -> t.request().stallMs() == 0).toList();
        List<Trace> stalled =
                traces.stream().filter(t -> t.request().stallMs() == STALL_MS).toList();
        assertThat(unstalled).hasSize(PAIRS);
        assertThat(stalled).hasSize(PAIRS);
        double inStall = 0;
        double elsewhere = 0; // the other spans' extra time beyond their noise
        List<String> split = new ArrayList<>();
        for (String name : CHAIN) {
            List<Double> durationsStalled =
                    stalled.stream().map(t -> (double) t.duration(name)).toList();
            List<Double> durationsUnstalled =
                    unstalled.stream().map(t -> (double) t.duration(name)).toList();
            List<Double> differences = new ArrayList<>();
            for (double s : durationsStalled) {
                for (double u : durationsUnstalled) {
                    differences.add(s - u);
                }
            }
            double extra = median(differences);
            double noise = 2 * shiftStandardError(durationsStalled, durationsUnstalled);
            if (name.equals("stall")) {
                inStall = extra;
            } else {
                elsewhere += Math.max(0, extra - noise);
            }
            split.add(String.format(Locale.ROOT, "%s %+.1f (noise %.1f)", name, extra / 1e3, noise / 1e3));
        }
        double extraTime = inStall + elsewhere;
        String bySpan = String.join(", ", split);
        System.out.printf(
                Locale.ROOT,
                "the stall's extra time (µs, medians over %d x %d couples; noise: 2 standard errors): in the stall"
                        + " span %.1f, beyond their noise in the others %.1f: the stall span's share %.2f %%; by span: %s%n",
                PAIRS,
                PAIRS,
                inStall / 1e3,
                elsewhere / 1e3,
                100 * inStall / extraTime,
                bySpan);
        if (inStall < 0.95 * STALL_MS * MS) {
            failures.add(String.format(
                    Locale.ROOT, "the stall span grew by %.1f µs only with a %d ms stall", inStall / 1e3, STALL_MS));
        }
        if (inStall < 0.95 * extraTime) {
            failures.add(String.format(
                    Locale.ROOT,
                    "the stall span took %.2f %% of the extra time (%.1f µs; by span: %s), not at least 95 %%",
                    100 * inStall / extraTime,
                    extraTime / 1e3,
                    bySpan));
        }
        return failures;
    }

    /**
     * The standard error of the Hodges-Lehmann shift between two samples: that of a difference of means,
     * from each sample's spread as its median absolute deviation (x 1.4826, a normal law's sigma), times
     * sqrt(pi / 2), the shift's efficiency against the mean's. Robust to a few wild durations, as the
     * shift itself is.
     */
    private static double shiftStandardError(List<Double> a, List<Double> b) {
        double sa = 1.4826 * medianAbsoluteDeviation(a);
        double sb = 1.4826 * medianAbsoluteDeviation(b);
        return Math.sqrt(Math.PI / 2) * Math.sqrt(sa * sa / a.size() + sb * sb / b.size());
    }

    private static double medianAbsoluteDeviation(List<Double> values) {
        double m = median(values);
        return median(values.stream().map(v -> Math.abs(v - m)).toList());
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String percents(List<Double> ratios) {
        return ratios.stream()
                .map(r -> String.format(Locale.ROOT, "%+.2f %%", 100 * r))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * {@code response}, OpenMetrics from the process on {@code port}, carries exemplars on its age / wait /
     * processing buckets, each naming a trace the OTLP receiver got ({@code received}), and no other trace id.
     */
    private static void checkOpenMetrics(int port, HttpResponse<String> response, Set<String> received) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(response.body()).endsWith("# EOF\n");
        Set<String> named = new LinkedHashSet<>();
        Set<String> families = new LinkedHashSet<>();
        Matcher m = EXEMPLAR.matcher(response.body());
        while (m.find()) {
            Matcher id = TRACE_ID.matcher(m.group(2));
            assertThat(id.find())
                    .as("an exemplar with a trace id: %s", m.group())
                    .isTrue();
            named.add(id.group(1));
            families.add(m.group(1));
        }
        System.out.printf(Locale.ROOT, "port %d: exemplars on %s, naming %d traces%n", port, families, named.size());
        assertThat(named)
                .as("exemplars on the age, wait and processing buckets of port %d", port)
                .isNotEmpty()
                .allMatch(received::contains);
        // no exemplar anywhere names a trace the receiver did not get
        Matcher anyId = TRACE_ID.matcher(response.body());
        while (anyId.find()) {
            assertThat(received).as("port %d", port).contains(anyId.group(1));
        }
    }

    /** {@code response}, a plain {@code GET /metrics}, is Prometheus text 0.0.4 without exemplars. */
    private static void checkPlainMetrics(int port, HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as("port %d", port)
                .startsWith("text/plain; version=0.0.4");
        assertThat(response.body()).contains("portflow_port_queue_wait_seconds_bucket{");
        assertThat(response.body()).doesNotContain("trace_id").doesNotContain(" # {");
    }

    private static HttpResponse<String> metrics(HttpClient client, int port, @Nullable String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        List<ReceivedSpan> named =
                spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named '%s'", name).hasSize(1);
        return named.getFirst();
    }

    private static PortflowProcess start(
            Path dir, Path blueprint, OtlpTestReceiver otlp, String instance, String only, int port) throws Exception {
        return PortflowProcess.start(
                dir,
                dir.resolve(instance + ".log"),
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        otlp.endpoint(),
                        // spans leave only when the process stops: no export while messages are timed
                        "OTEL_BSP_SCHEDULE_DELAY",
                        "600000",
                        // traces only: no OTLP push of the meters while messages are timed
                        "OTEL_METRICS_EXPORTER",
                        "none",
                        "OTEL_RESOURCE_ATTRIBUTES",
                        "service.instance.id=" + instance),
                "run",
                blueprint.toString(),
                "--only",
                only,
                "--port",
                Integer.toString(port));
    }

    private static HttpResponse<String> post(HttpClient client, int port, @Nullable String traceparent, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return HEX.formatHex(b);
    }
}
