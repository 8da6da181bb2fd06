package dev.portflow.http;

import dev.portflow.json.StrictJson;
import dev.portflow.metrics.HistogramMeters;
import dev.portflow.metrics.LatencyHistogram;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.OutputPort;
import dev.portflow.port.PortOverflowException;
import dev.portflow.port.SchemaViolation;
import dev.portflow.port.SendOutcome;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP ingress, independent of any server: one request in, status + headers + JSON body out.
 *
 * <p>Only a {@code 202} means the message was taken into the pipeline. A message the buffer could
 * not take in time, or that the connection's overflow policy refused, is answered {@code 503} with a
 * {@code Retry-After} computed from how fast the buffer is draining. Bad input is a 4xx, never a 5xx:
 *
 * <table>
 *   <caption>Responses</caption>
 *   <tr><td>202</td><td>queued within the timeout</td></tr>
 *   <tr><td>503 {@code backpressure}</td><td>not queued in time, or dropped by the edge's policy</td></tr>
 *   <tr><td>503 {@code shutting_down}</td><td>the pipeline is draining</td></tr>
 *   <tr><td>503 {@code not_ready}</td><td>the pipeline has not started yet</td></tr>
 *   <tr><td>415</td><td>not {@code application/json} (or {@code +json}), or a charset other than UTF-8</td></tr>
 *   <tr><td>413</td><td>body larger than {@code max_body_bytes}</td></tr>
 *   <tr><td>400</td><td>malformed JSON (also duplicate keys, trailing data, nesting deeper than 200), bytes that
 *   are not UTF-8, or a string holding an unpaired UTF-16 surrogate ("&#92;ud83d" alone)</td></tr>
 *   <tr><td>422</td><td>fails the schema, or a malformed {@code event_time}</td></tr>
 *   <tr><td>401</td><td>missing or wrong bearer token, when a token is configured</td></tr>
 *   <tr><td>405</td><td>not a POST</td></tr>
 * </table>
 *
 * <p>Rejected bodies (400, 422) are also sent, as {@link ErrorEnvelope}s, to the endpoint's error
 * port when one is connected; the client's answer never waits for that.
 *
 * <p>In a pipeline that traces ({@link #open(OutputPort, OutputPort, MessageTracer, Ticker)}), a
 * request that gets as far as the send is a message entering the pipeline: the tracer decides
 * whether it is traced, continuing the caller's W3C {@code traceparent} header when it is sampled,
 * and a traced one is answered with a {@code traceresponse} header naming its trace and entry span
 * (docs/http-ingress.md, "Tracing").
 *
 * @param <T> the message type sent into the pipeline
 */
public final class Ingress<T> {

    private static final System.Logger LOG = System.getLogger("dev.portflow.http");
    /** The request header with the caller's W3C trace context (https://www.w3.org/TR/trace-context/). */
    static final String TRACEPARENT = "traceparent";
    /**
     * The response header naming a traced request's trace and entry span, in the {@code traceparent}
     * format (W3C Trace Context Level 2, a draft).
     */
    static final String TRACERESPONSE = "traceresponse";

    private enum State {
        STARTING,
        ACCEPTING,
        DRAINING
    }

    private final IngressSettings settings;
    private final IngressDecoder<T> decoder;
    private final byte @Nullable [] expectedAuthorization;
    private final LatencyHistogram duration = new LatencyHistogram();
    private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(600);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile State state = State.STARTING;
    private volatile @Nullable OutputPort<T> output;
    private volatile @Nullable OutputPort<ErrorEnvelope> errors;
    private volatile @Nullable DrainRate drainRate;
    private volatile @Nullable MessageTracer tracer; // null: the pipeline traces nothing
    private volatile Ticker ticker = Ticker.system(); // the tracer's time scale
    private volatile @Nullable MeterRegistry registry;
    private volatile Tags tags = Tags.empty();
    private String pipeline = "standalone";
    private String component = "ingress";

    public Ingress(IngressSettings settings, IngressDecoder<T> decoder) {
        this.settings = settings;
        this.decoder = decoder;
        String token = settings.authToken();
        this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    public IngressSettings settings() {
        return settings;
    }

    public Class<T> messageType() {
        return decoder.messageType();
    }

    /** Registers the ingress meters ({@code portflow.ingress.requests}, {@code portflow.ingress.request.duration}). */
    public void bindMeters(MeterRegistry meterRegistry, String pipelineName, String componentName) {
        this.pipeline = pipelineName;
        this.component = componentName;
        this.tags = Tags.of("pipeline", pipelineName, "component", componentName);
        this.registry = meterRegistry;
        HistogramMeters.register(
                meterRegistry,
                "portflow.ingress.request.duration",
                "Time to answer an ingress request",
                tags,
                duration);
        for (int status : new int[] {202, 503}) {
            counter(status); // the two that matter are present from the start, at zero
        }
    }

    /** Starts accepting: messages go to {@code port}, rejected bodies to {@code errorPort} (may be null). */
    public void open(OutputPort<T> port, @Nullable OutputPort<ErrorEnvelope> errorPort) {
        open(port, errorPort, null, Ticker.system());
    }

    /**
     * As {@link #open(OutputPort, OutputPort)}, in a pipeline that traces with {@code tracer} (null:
     * it traces nothing) on {@code ticker}'s time scale: every request that reaches the send is an
     * entry the tracer decides on ({@link MessageTracer#enter}).
     */
    public void open(
            OutputPort<T> port,
            @Nullable OutputPort<ErrorEnvelope> errorPort,
            @Nullable MessageTracer tracer,
            Ticker ticker) {
        this.output = port;
        this.errors = errorPort;
        this.drainRate = new DrainRate(port.counters());
        this.tracer = tracer;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.state = State.ACCEPTING; // last: a request that sees ACCEPTING sees the fields above
    }

    /** From now on every request is answered 503 {@code shutting_down}. */
    public void startDraining() {
        state = State.DRAINING;
    }

    /**
     * Whether requests are taken into the pipeline now: from when the endpoint's source runs until the
     * pipeline drains (before and after, they are answered 503).
     */
    public boolean isAccepting() {
        return state == State.ACCEPTING;
    }

    /** Waits up to {@code timeout} for requests already sending to finish. */
    public boolean awaitInFlight(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** How many body bytes a server should read at most: one more than allowed, to detect 413. */
    public int readLimit() {
        return settings.maxBodyBytes() + 1;
    }

    /** Answers one request. Never throws for any input. */
    public IngressResponse handle(IngressRequest request) {
        long start = System.nanoTime();
        // in a traced pipeline the entry starts with the request, on the tracer's time scale
        MessageTracer t = tracer;
        long traceStart = t == null ? 0L : ticker == Ticker.system() ? start : ticker.read();
        IngressResponse response;
        try {
            response = answer(request, t, traceStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = shuttingDown();
        } catch (RuntimeException | StackOverflowError e) {
            // A bug of ours must still not turn into an acknowledged or lost message: nothing was queued.
            LOG.log(System.Logger.Level.ERROR, "ingress " + settings.path() + " failed on a request", e);
            response = json(
                    503,
                    Map.of("Retry-After", "1"),
                    Map.of("error", "backpressure", "message", "System overloaded, please retry"));
        }
        duration.record(System.nanoTime() - start);
        Counter counter = counter(response.status());
        if (counter != null) {
            counter.increment();
        }
        return response;
    }

    /**
     * @param t          the pipeline's tracer, or null when it traces nothing
     * @param traceStart with a tracer: when the request began to be handled, on its ticker
     */
    private IngressResponse answer(IngressRequest request, @Nullable MessageTracer t, long traceStart)
            throws InterruptedException {
        if (!"POST".equals(request.method().toUpperCase(Locale.ROOT))) {
            return json(
                    405,
                    Map.of("Allow", "POST"),
                    Map.of("error", "method_not_allowed", "message", "use POST with a JSON body"));
        }
        if (expectedAuthorization != null && !authorized(request)) {
            return json(401, Map.of("WWW-Authenticate", "Bearer realm=\"portflow\""), Map.of("error", "unauthorized"));
        }
        inFlight.incrementAndGet();
        try {
            State current = state;
            if (current == State.DRAINING) {
                return shuttingDown();
            }
            if (current == State.STARTING) {
                return json(
                        503,
                        Map.of("Retry-After", "1"),
                        Map.of("error", "not_ready", "message", "Pipeline is starting, please retry"));
            }
            return accept(request, t, traceStart);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private IngressResponse accept(IngressRequest request, @Nullable MessageTracer t, long traceStart)
            throws InterruptedException {
        String contentType = request.header("Content-Type").orElse("");
        if (!isJson(contentType)) {
            return json(
                    415,
                    Map.of(),
                    Map.of(
                            "error",
                            "unsupported_media_type",
                            "message",
                            "Content-Type must be application/json (UTF-8), was '" + contentType + "'"));
        }
        if (request.declaredLength() > settings.maxBodyBytes() || request.body().length > settings.maxBodyBytes()) {
            return json(
                    413,
                    Map.of(),
                    Map.of(
                            "error",
                            "payload_too_large",
                            "message",
                            "body exceeds " + settings.maxBodyBytes() + " bytes"));
        }
        JsonNode body;
        try {
            body = JsonBodyParser.parse(request.body());
        } catch (JsonBodyParser.InvalidJsonException e) {
            reject(request, "InvalidJson", e.getMessage());
            return json(400, Map.of(), Map.of("error", "invalid_json", "message", e.getMessage()));
        }
        String id = newId();
        DecodedMessage<T> decoded = decoder.decode(body, id, Instant.now());
        if (!decoded.isValid()) {
            reject(request, "ValidationFailed", describe(decoded.violations()));
            return json(
                    422,
                    Map.of(),
                    Map.of(
                            "error",
                            "validation_failed",
                            "details",
                            decoded.violations().stream().map(Ingress::detail).toList()));
        }
        // accepting means open() has set the output; a decoded message without violations has its message
        OutputPort<T> out = Objects.requireNonNull(output, "output");
        T message = Objects.requireNonNull(decoded.message(), "a valid DecodedMessage carries a message");
        // in a traced pipeline the tracer decides whether this message is traced (a sampled traceparent is)
        StageSpan entry = t == null ? null : t.enter(component, traceparent(request), traceStart);
        Throwable failure = null;
        long handOff = 0L; // a traced message's: where its entry span ends and its wait starts
        try {
            SendOutcome outcome;
            try {
                // 202 means stored: a pipelined link's acknowledgement is awaited within the same timeout
                if (entry == null) {
                    outcome = out.sendAcknowledged(message, settings.timeout());
                } else {
                    handOff = out.handOffReading(); // where the wait span starts, exactly
                    outcome = out.sendAcknowledged(message, settings.timeout(), handOff, entry.context());
                }
            } catch (PortOverflowException full) {
                failure = full;
                return withTraceResponse(refused(out), entry);
            }
            if (outcome.isAccepted()) {
                return withTraceResponse(
                        json(202, Map.of(), Map.of("status", "accepted", "message", "Request queued", "id", id)),
                        entry);
            }
            IngressResponse response = outcome == SendOutcome.CLOSED ? shuttingDown() : refused(out);
            if (entry != null) {
                failure = new RefusedRequest("answered " + response.status() + ", send outcome " + outcome);
            }
            return withTraceResponse(response, entry);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            if (entry != null) {
                // Accepted: at the hand-off, where the next stage's wait span starts (spans tile the
                // message's life, whatever delays the answer). Refused: when the answer was decided.
                entry.end(failure == null && handOff != 0L ? handOff : ticker.read(), 0L, failure);
            }
        }
    }

    /**
     * The request's W3C {@code traceparent}, or null when it has none or more than one (W3C: such a
     * request is treated as having none). The tracer parses and validates it: a malformed one counts
     * as absent (a new trace, if head sampling picks it), never as a failed request.
     */
    private static @Nullable String traceparent(IngressRequest request) {
        List<String> values = request.headers().get(TRACEPARENT);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    /**
     * {@code response} with a {@code traceresponse} header naming the trace and entry span of the
     * request's message; {@code response} itself when it is not traced.
     */
    private static IngressResponse withTraceResponse(IngressResponse response, @Nullable StageSpan entry) {
        if (entry == null) {
            return response;
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put(TRACERESPONSE, entry.context().traceparent());
        return new IngressResponse(response.status(), headers, response.body());
    }

    /** What a traced request's entry span records when the answer was not a 202 (no stack: it is an outcome, not a bug). */
    static final class RefusedRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedRequest(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The 503 of a send that found no room: {@code unavailable} with the reason when a buffer outside
     * the process refuses messages (a full disk, say), else {@code backpressure}.
     */
    private IngressResponse refused(OutputPort<T> out) {
        String refusal = out.refusal();
        if (refusal != null) {
            return json(
                    503,
                    Map.of("Retry-After", Integer.toString(retryAfter())),
                    Map.of("error", "unavailable", "message", "The pipeline cannot store requests now: " + refusal));
        }
        return backpressure();
    }

    private IngressResponse backpressure() {
        return json(
                503,
                Map.of("Retry-After", Integer.toString(retryAfter())),
                Map.of("error", "backpressure", "message", "System overloaded, please retry"));
    }

    private IngressResponse shuttingDown() {
        return json(
                503,
                Map.of("Retry-After", Integer.toString(retryAfter())),
                Map.of("error", "shutting_down", "message", "Pipeline is draining for shutdown, please retry later"));
    }

    /** Whole seconds in [1, 60] for the buffer to drain at its measured rate. */
    int retryAfter() {
        DrainRate rate = drainRate;
        return rate == null ? DrainRate.MIN_SECONDS : rate.retryAfterSeconds(System.nanoTime());
    }

    /** The {@code Retry-After} seconds a 503 answered now would carry (1..60). */
    public int retryAfterSeconds() {
        return retryAfter();
    }

    /**
     * Requests answered so far with a status in {@code [fromInclusive, toExclusive)}, e.g. {@code (400, 500)}
     * for client errors; 0 before the ingress is bound to a meter registry.
     */
    public long responses(int fromInclusive, int toExclusive) {
        long total = 0;
        for (int status = Math.max(0, fromInclusive); status < Math.min(toExclusive, counters.length()); status++) {
            Counter c = counters.get(status);
            if (c != null) {
                total += (long) c.count();
            }
        }
        return total;
    }

    private boolean authorized(IngressRequest request) {
        byte[] given = request.header("Authorization").orElse("").trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expectedAuthorization); // constant time in the token
    }

    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";", -1); // empty parameters are skipped below
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
                String charset = kv[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    private void reject(IngressRequest request, String errorType, String message) {
        OutputPort<ErrorEnvelope> port = errors;
        if (port == null || !port.isConnected()) {
            return;
        }
        ErrorEnvelope envelope = ErrorEnvelope.of(
                pipeline, component, "http", errorType, message, new String(request.body(), StandardCharsets.UTF_8));
        try {
            port.send(envelope, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the error port is best effort; the client already gets its 4xx
        }
    }

    private static Map<String, String> detail(SchemaViolation violation) {
        Map<String, String> detail = new LinkedHashMap<>(); // "field" before "message", always
        detail.put("field", violation.field());
        detail.put("message", violation.message());
        return detail;
    }

    private static String describe(List<SchemaViolation> violations) {
        StringBuilder text = new StringBuilder();
        for (SchemaViolation v : violations) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(v.field().isEmpty() ? "(body)" : v.field()).append(": ").append(v.message());
        }
        return text.toString();
    }

    /** A random (version 4) UUID without the lock of the shared {@code SecureRandom}; ids need uniqueness, not secrecy. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The counter of {@code status}; {@code null} until meters are bound. */
    private @Nullable Counter counter(int status) {
        int index = status >= 0 && status < 600 ? status : 0;
        Counter c = counters.get(index);
        if (c == null) {
            MeterRegistry r = registry;
            if (r == null) {
                return null;
            }
            c = Counter.builder("portflow.ingress.requests")
                    .description("Ingress responses by status code")
                    .tags(tags)
                    .tag("status", Integer.toString(status))
                    .register(r);
            counters.compareAndSet(index, null, c);
            c = counters.get(index);
        }
        return c;
    }

    private static IngressResponse json(int status, Map<String, String> headers, Map<String, ?> body) {
        Map<String, Object> ordered = new LinkedHashMap<>(body.size());
        // stable key order in the JSON: error/status first
        for (String first : new String[] {"status", "error", "message", "id", "details"}) {
            if (body.containsKey(first)) {
                ordered.put(first, body.get(first));
            }
        }
        body.forEach(ordered::putIfAbsent);
        return new IngressResponse(status, headers, StrictJson.mapper().writeValueAsString(ordered));
    }
}
