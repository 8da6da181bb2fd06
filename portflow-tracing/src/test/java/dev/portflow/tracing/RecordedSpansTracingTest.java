package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link OpenTelemetryTracingTest} again, with the spans Portflow records itself and hands to a
 * batch span processor ({@link OpenTelemetryTracing#exporting}, what {@code fromEnvironment} and so {@code
 * portflow run} use) in place of the SDK's tracer; and the two ways side by side, span for span.
 */
class RecordedSpansTracingTest extends OpenTelemetryTracingTest {

    private static final Resource RESOURCE = Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "orders")));

    private final List<OpenTelemetryTracing> made = new ArrayList<>();

    @Override
    OpenTelemetryTracing tracing(TracingSettings settings) {
        OpenTelemetryTracing tracing = OpenTelemetryTracing.exporting(exporter, RESOURCE, settings);
        made.add(tracing);
        return tracing;
    }

    /** The batch processor exports every 5 s: flushed first, so the spans ended so far are all there. */
    @Override
    List<SpanData> finished() {
        for (OpenTelemetryTracing tracing : made) {
            assertThat(tracing.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        return exporter.getFinishedSpanItems();
    }

    @AfterEach
    void closeTracings() {
        made.forEach(OpenTelemetryTracing::close);
    }

    @Test
    void recordedSpansCarryTheResourceAndTheScope() {
        MessageTracer tracer =
                tracing(TracingSettings.defaults().withSampleRatio(1.0)).forPipeline("p", Ticker.system());
        StageSpan entry = Objects.requireNonNull(tracer.enter("api", null, System.nanoTime()));
        entry.end(System.nanoTime(), 0, null);

        SpanData span = finished().getFirst();
        assertThat(span.getResource()).isEqualTo(RESOURCE);
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.portflow");
        assertThat(span.hasEnded()).isTrue();
        assertThat(span.getTotalAttributeCount()).isEqualTo(2);
    }

    /** A ticker whose readings the test sets: the same readings give both ways the same times. */
    private static final class ManualTicker implements Ticker {
        long now = 1_000_000_000L;

        @Override
        public long read() {
            return now;
        }

        @Override
        public long wallNanos() {
            return now + 1_800_000_000_000_000_000L;
        }
    }

    /**
     * One entry, a stage that waited on a full output, a stage that failed, a late trace and a parent carried
     * over a wire, made both ways from the same readings: the same spans, field for field (ids aside, and the
     * time of the exception event, which the SDK takes from its own clock).
     */
    @Test
    void recordedSpansAreTheSdksSpansFieldForField() {
        InMemorySpanExporter sdkExporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(sdkExporter))
                        .build())
                .build()) {
            TracingSettings settings = TracingSettings.defaults().withSampleRatio(1.0);
            IllegalStateException failure = new IllegalStateException("disk full"); // one stack trace for both
            play(OpenTelemetryTracing.create(sdk, settings), failure);
            play(tracing(settings), failure);
            List<SpanData> throughSdk = sdkExporter.getFinishedSpanItems();
            List<SpanData> recorded = finished();
            assertThat(recorded).hasSize(throughSdk.size()).hasSizeGreaterThanOrEqualTo(9);
            assertThat(comparable(recorded)).isEqualTo(comparable(throughSdk));
        }
    }

    private static void play(OpenTelemetryTracing tracing, Exception failure) {
        ManualTicker ticker = new ManualTicker();
        MessageTracer tracer = tracing.forPipeline("orders", ticker);
        StageSpan entry = Objects.requireNonNull(tracer.enter("api", null, ticker.now));
        ticker.now += 1_000;
        entry.end(ticker.now, 0, null);
        StageSpan map = tracer.stage(entry.context(), "map", "in_orders", ticker.now, ticker.now + 5_000);
        ticker.now += 20_000;
        map.end(ticker.now, 7_000, null);
        StageSpan store = tracer.stage(map.context(), "store", "in_orders", ticker.now, ticker.now + 3_000);
        ticker.now += 9_000;
        store.end(ticker.now, 0, failure);
        StageSpan late = Objects.requireNonNull(
                tracer.late("store", "in_orders", ticker.now - 50_000, ticker.now, ticker.now + 2_000, "slow"));
        late.end(ticker.now + 4_000, 0, null);
        TraceContext wire = new CarriedIds("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        tracer.stage(wire, "sink", "in_orders", ticker.now, ticker.now + 1_000).end(ticker.now + 2_000, 0, null);
    }

    /** A context as it arrives over a wire (a Kafka header, a disk record): ids only. */
    private record CarriedIds(String traceId, String spanId) implements TraceContext {}

    /** The spans as comparable text, parents by name, sorted: what both ways must agree on. */
    private static List<String> comparable(List<SpanData> spans) {
        Map<String, String> namesById =
                spans.stream().collect(Collectors.toMap(SpanData::getSpanId, SpanData::getName));
        Function<SpanData, String> parent = s -> s.getParentSpanContext().isValid()
                ? namesById.getOrDefault(
                        s.getParentSpanId(),
                        "remote " + s.getParentSpanId() + " of " + s.getTraceId()
                                + (s.getParentSpanContext().isRemote() ? " (remote)" : ""))
                : "none";
        return spans.stream()
                .map(s -> String.join(
                        " | ",
                        s.getName(),
                        s.getKind().toString(),
                        "parent " + parent.apply(s),
                        "sampled " + s.getSpanContext().isSampled(),
                        s.getStartEpochNanos() + ".." + s.getEndEpochNanos(),
                        new java.util.TreeMap<>(s.getAttributes().asMap().entrySet().stream()
                                        .collect(Collectors.toMap(
                                                e -> e.getKey().getKey(), e -> String.valueOf(e.getValue()))))
                                .toString(),
                        "attributes " + s.getTotalAttributeCount(),
                        s.getStatus().toString(),
                        s.getEvents().stream()
                                .map(RecordedSpansTracingTest::event)
                                .toList()
                                .toString(),
                        "events " + s.getTotalRecordedEvents(),
                        "links " + s.getLinks() + " " + s.getTotalRecordedLinks(),
                        "scope " + s.getInstrumentationScopeInfo().getName(),
                        "ended " + s.hasEnded()))
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static String event(EventData e) {
        return e.getName() + " "
                + new java.util.TreeMap<>(e.getAttributes().asMap().entrySet().stream()
                        .collect(Collectors.toMap(a -> a.getKey().getKey(), a -> String.valueOf(a.getValue()))));
    }
}
