package dev.portflow.tracing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * An OTLP/HTTP trace and metrics receiver for tests (this module's and, through its test-jar, the CLI's and the
 * blueprints'): listens on {@code 127.0.0.1} on a free port with the JDK's HTTP server, takes {@code POST
 * /v1/traces} and {@code POST /v1/metrics} with an {@code application/x-protobuf} body (gzip too), decodes the
 * {@code ExportTraceServiceRequest} or {@code ExportMetricsServiceRequest} and keeps its spans or its metrics' data
 * points. A JSON body gets 415, another path 404, another method 405. Point an exporter at {@link #endpoint()}
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}: the exporters add {@code /v1/traces} and {@code /v1/metrics}).
 */
public final class OtlpTestReceiver implements AutoCloseable {

    /**
     * One span as received.
     *
     * @param name         its name
     * @param kind         {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER} or {@code CONSUMER}
     * @param traceId      32 hex digits
     * @param spanId       16 hex digits
     * @param parentSpanId 16 hex digits, or empty for a root
     * @param startNanos   epoch nanoseconds
     * @param endNanos     epoch nanoseconds
     * @param attributes   its attributes (strings, longs, doubles, booleans; other values as text)
     * @param status       {@code UNSET}, {@code OK} or {@code ERROR}
     * @param resource     its resource's attributes, e.g. {@code service.name}
     */
    public record ReceivedSpan(
            String name,
            String kind,
            String traceId,
            String spanId,
            String parentSpanId,
            long startNanos,
            long endNanos,
            Map<String, Object> attributes,
            String status,
            Map<String, Object> resource) {

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    /**
     * One data point of a metric, as received.
     *
     * @param name        the metric's name, e.g. {@code portflow.port.messages.out}
     * @param kind        {@code GAUGE}, {@code SUM}, {@code HISTOGRAM}, {@code EXPONENTIAL_HISTOGRAM} or {@code
     *                    SUMMARY}
     * @param unit        the metric's unit, or empty
     * @param monotonic   for a {@code SUM}: whether it only grows (a counter)
     * @param value       a gauge's or sum's value; a histogram's or summary's sum
     * @param count       a histogram's or summary's count; 0 for a gauge or sum
     * @param attributes  the data point's attributes (strings, longs, doubles, booleans; other values as text)
     * @param timeNanos   the data point's time, epoch nanoseconds
     * @param resource    its resource's attributes, e.g. {@code service.name}
     * @param request     which export request carried it: 1 for the first taken on {@code /v1/metrics}, and so on
     */
    public record ReceivedMetric(
            String name,
            String kind,
            String unit,
            boolean monotonic,
            double value,
            long count,
            Map<String, Object> attributes,
            long timeNanos,
            Map<String, Object> resource,
            int request) {

        /** Whether its attributes hold every entry of {@code expected}. */
        public boolean has(Map<String, ?> expected) {
            return expected.entrySet().stream().allMatch(e -> e.getValue().equals(attributes.get(e.getKey())));
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<ReceivedSpan> spans = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final List<ReceivedMetric> metrics = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger metricRequests = new AtomicInteger();
    private final AtomicInteger traceRequestsSeen = new AtomicInteger();
    private volatile int refuseEverySecondWith; // 0: take every trace request

    private OtlpTestReceiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver listening on 127.0.0.1 on a free port. */
    public static OtlpTestReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpTestReceiver receiver = new OtlpTestReceiver(server);
        server.createContext("/", receiver::handle);
        server.setExecutor(receiver.executor);
        server.start();
        return receiver;
    }

    /** {@code http://127.0.0.1:<port>}: the value of {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/v1/metrics}: the value of {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}. */
    public String metricsEndpoint() {
        return endpoint() + "/v1/metrics";
    }

    /** The metrics' data points received so far, in the order they arrived. */
    public List<ReceivedMetric> metrics() {
        synchronized (metrics) {
            return List.copyOf(metrics);
        }
    }

    /** How many metrics export requests were taken (200). */
    public int metricRequests() {
        return metricRequests.get();
    }

    /**
     * Waits up to {@code timeout} until the data points received satisfy {@code done}; returns them.
     *
     * @throws AssertionError with the names received when they never do
     */
    public List<ReceivedMetric> awaitMetrics(Predicate<List<ReceivedMetric>> done, Duration timeout)
            throws InterruptedException {
        return awaitUntil(
                this::metrics,
                done,
                timeout,
                "metrics",
                now -> now.stream()
                        .map(ReceivedMetric::name)
                        .distinct()
                        .sorted()
                        .toList());
    }

    /**
     * The data point of metric {@code name} whose attributes hold {@code attributes}, from the latest request that
     * carried one, or null.
     */
    public static @Nullable ReceivedMetric latest(
            List<ReceivedMetric> metrics, String name, Map<String, ?> attributes) {
        ReceivedMetric latest = null;
        for (ReceivedMetric m : metrics) {
            if (m.name().equals(name) && m.has(attributes) && (latest == null || m.request() >= latest.request())) {
                latest = m;
            }
        }
        return latest;
    }

    /** The spans received so far, in the order they arrived. */
    public List<ReceivedSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** How many export requests were taken (200). */
    public int requests() {
        return requests.get();
    }

    /**
     * From now on answers every second trace request (the second, fourth, ... since it started) with {@code status}
     * and keeps none of its spans: an endpoint that refuses some exports.
     */
    public void refuseEverySecondTraceRequestWith(int status) {
        refuseEverySecondWith = status;
    }

    /**
     * Waits up to {@code timeout} until the spans received satisfy {@code done}; returns them.
     *
     * @throws AssertionError with the spans received when they never do
     */
    public List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, Duration timeout) throws InterruptedException {
        return awaitUntil(
                this::spans,
                done,
                timeout,
                "spans",
                now -> now.stream().map(ReceivedSpan::name).toList());
    }

    /** Polls {@code received} every 20 ms until {@code done} holds, or fails after {@code timeout} naming what came. */
    private static <T> List<T> awaitUntil(
            Supplier<List<T>> received,
            Predicate<List<T>> done,
            Duration timeout,
            String what,
            Function<List<T>, Object> describe)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> now = received.get();
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the " + what + " received did not arrive within " + timeout + "; received: "
                        + describe.apply(now));
            }
            Thread.sleep(20);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/v1/traces") && !path.equals("/v1/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-protobuf")) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(encoding)
                    ? new GZIPInputStream(exchange.getRequestBody())
                    : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals("/v1/metrics")) {
                takeMetrics(exchange, body);
                return;
            }
            int refuseWith = refuseEverySecondWith;
            if (traceRequestsSeen.incrementAndGet() % 2 == 0 && refuseWith != 0) {
                exchange.sendResponseHeaders(refuseWith, -1);
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                Map<String, Object> resource =
                        attributes(resourceSpans.getResource().getAttributesList());
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        spans.add(received(span, resource));
                    }
                }
            }
            requests.incrementAndGet();
            ok(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        }
    }

    private void takeMetrics(HttpExchange exchange, byte[] body) throws IOException {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
        List<ReceivedMetric> received = new ArrayList<>();
        synchronized (metrics) { // request numbers in the order the points are kept
            int number = metricRequests.get() + 1;
            for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
                Map<String, Object> resource =
                        attributes(resourceMetrics.getResource().getAttributesList());
                for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                    for (Metric metric : scopeMetrics.getMetricsList()) {
                        received.addAll(points(metric, resource, number));
                    }
                }
            }
            metrics.addAll(received);
            metricRequests.incrementAndGet();
        }
        ok(exchange, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
    }

    /** A 200 with an export response ({@code response}, empty when the export was whole). */
    private static void ok(HttpExchange exchange, byte[] response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
        if (response.length > 0) {
            exchange.getResponseBody().write(response);
        }
    }

    private static List<ReceivedMetric> points(Metric metric, Map<String, Object> resource, int request) {
        List<ReceivedMetric> points = new ArrayList<>();
        PointsOf of = new PointsOf(metric.getName(), metric.getUnit(), resource, request, points);
        switch (metric.getDataCase()) {
            case GAUGE ->
                metric.getGauge()
                        .getDataPointsList()
                        .forEach(p -> of.add("GAUGE", false, number(p), 0, p.getAttributesList(), p.getTimeUnixNano()));
            case SUM ->
                metric.getSum()
                        .getDataPointsList()
                        .forEach(p -> of.add(
                                "SUM",
                                metric.getSum().getIsMonotonic(),
                                number(p),
                                0,
                                p.getAttributesList(),
                                p.getTimeUnixNano()));
            case HISTOGRAM ->
                metric.getHistogram()
                        .getDataPointsList()
                        .forEach(p -> of.add(
                                "HISTOGRAM",
                                false,
                                p.getSum(),
                                p.getCount(),
                                p.getAttributesList(),
                                p.getTimeUnixNano()));
            case EXPONENTIAL_HISTOGRAM ->
                metric.getExponentialHistogram()
                        .getDataPointsList()
                        .forEach(p -> of.add(
                                "EXPONENTIAL_HISTOGRAM",
                                false,
                                p.getSum(),
                                p.getCount(),
                                p.getAttributesList(),
                                p.getTimeUnixNano()));
            case SUMMARY ->
                metric.getSummary()
                        .getDataPointsList()
                        .forEach(p -> of.add(
                                "SUMMARY",
                                false,
                                p.getSum(),
                                p.getCount(),
                                p.getAttributesList(),
                                p.getTimeUnixNano()));
            default -> {} // DATA_NOT_SET: nothing to keep
        }
        return points;
    }

    /** The points of one metric of one request, as each kind of data point gives its figures. */
    private record PointsOf(
            String name, String unit, Map<String, Object> resource, int request, List<ReceivedMetric> points) {
        void add(String kind, boolean monotonic, double value, long count, List<KeyValue> attributes, long time) {
            points.add(new ReceivedMetric(
                    name, kind, unit, monotonic, value, count, attributes(attributes), time, resource, request));
        }
    }

    private static double number(NumberDataPoint point) {
        return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
    }

    private static ReceivedSpan received(Span span, Map<String, Object> resource) {
        return new ReceivedSpan(
                span.getName(),
                span.getKind().name().replace("SPAN_KIND_", ""),
                hex(span.getTraceId()),
                hex(span.getSpanId()),
                hex(span.getParentSpanId()),
                span.getStartTimeUnixNano(),
                span.getEndTimeUnixNano(),
                attributes(span.getAttributesList()),
                span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
                resource);
    }

    private static String hex(ByteString bytes) {
        return HEX.formatHex(bytes.toByteArray());
    }

    private static Map<String, Object> attributes(List<KeyValue> keyValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (KeyValue kv : keyValues) {
            attributes.put(kv.getKey(), value(kv.getValue()));
        }
        return Collections.unmodifiableMap(attributes);
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BOOL_VALUE -> value.getBoolValue();
            default -> value.toString().strip();
        };
    }

    /** The first span named {@code name} in {@code spans}, or null. */
    public static @Nullable ReceivedSpan named(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
