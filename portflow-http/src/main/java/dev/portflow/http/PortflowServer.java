package dev.portflow.http;

import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's HTTP server (Helidon SE WebServer on virtual threads): the pipeline's ingress
 * endpoints plus {@code GET /metrics} (Prometheus text), {@code GET /metrics.json},
 * {@code GET /health/live} and {@code GET /health/ready} (503 while starting or draining), and what
 * {@link ServerExtension extensions} add (the dashboard at {@code GET /}).
 *
 * <p>The pipeline's meter registry must be a {@code PrometheusMeterRegistry}, or a {@code CompositeMeterRegistry}
 * with exactly one {@code PrometheusMeterRegistry} member, which {@code /metrics} renders (see {@link
 * #builder(Pipeline)}); the JVM meters ({@link Builder#jvmMetrics(boolean)}) are registered in the pipeline's
 * registry, so every member of a composite has them.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * Pipeline pipeline = Pipeline.builder("orders").meterRegistry(registry) ... .build();
 * try (PortflowServer server = PortflowServer.builder(pipeline).port(8080).build()) {
 *     server.start();           // starts the pipeline too
 *     ...
 *     server.drainAndStop(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Limits are set on purpose so that a slow or abusive client cannot exhaust threads, memory or
 * connections: see {@link Builder} for each and its default. Connections that stall are closed after
 * the idle or read timeout, and the health endpoints stay reachable at the connection limit (Helidon
 * 4.5 does neither by itself; see docs/http-ingress.md). HTTP/1.0 requests are
 * answered too, one per connection. Answers Helidon gives by itself (a body over the server's hard cap,
 * too many concurrent requests, a request it cannot parse) carry a JSON body like every other.
 */
public final class PortflowServer implements AutoCloseable {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    // Asked for by a Prometheus that keeps exemplars (Accept: application/openmetrics-text): the same
    // meters, and the histograms' exemplars of traced messages (docs/tracing.md).
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String JSON = "application/json";

    /** What a connection beyond the limit may still ask for (see {@link Builder#maxConnections}). */
    private static final Set<String> HEALTH_PATHS = Set.of("/health/live", "/health/ready");

    private final Pipeline pipeline;
    private final PrometheusMeterRegistry registry;
    private final List<ApiEndpoint<?>> endpoints;
    private final List<ServerExtension> extensions;
    private final HttpRouting.Builder routing;
    private final Listening settings;
    private final long maxPayloadBytes;
    private final @Nullable JvmMetrics jvmMetrics;
    private volatile @Nullable WebServer server;
    private volatile @Nullable ConnectionGuard connections;

    private PortflowServer(Builder b) {
        this.pipeline = b.pipeline;
        this.registry = prometheusRegistry(b.pipeline);
        this.endpoints = List.copyOf(b.pipeline.componentsOfType(ApiEndpoint.class).stream()
                .map(e -> (ApiEndpoint<?>) e)
                .toList());
        this.extensions = List.copyOf(b.extensions);
        checkPaths(endpoints, extensions);

        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/metrics", this::metrics)
                .get("/metrics.json", this::metricsJson)
                .get("/health/live", this::live)
                .get("/health/ready", this::ready);
        for (ApiEndpoint<?> endpoint : endpoints) {
            Ingress<?> ingress = endpoint.ingress();
            routing.any(endpoint.path(), (req, res) -> ingress(ingress, req, res));
        }
        for (ServerExtension extension : extensions) {
            extension.routing(routing, pipeline);
        }
        this.routing = routing;
        this.settings = new Listening(
                b.host,
                b.port,
                b.maxConnections,
                b.maxConcurrentRequests,
                b.maxHeaderBytes,
                b.idleTimeout,
                b.readTimeout);
        long largestBody = endpoints.stream()
                .mapToLong(e -> e.ingress().settings().maxBodyBytes())
                .max()
                .orElse(0);
        // A hard cap above every ingress's own limit: the ingress answers 413 itself after reading at most
        // its limit + 1 bytes; this bounds what Helidon reads and discards for any other route.
        this.maxPayloadBytes = Math.max(1 << 20, 2 * largestBody);
        // the pipeline's registry, not the member /metrics renders: a composite's other members get them too
        this.jvmMetrics = b.jvmMetrics ? JvmMetrics.bindTo(b.pipeline.meterRegistry()) : null;
    }

    /**
     * Starts building a server for {@code pipeline}, which must be built with a {@code PrometheusMeterRegistry}, or
     * with a {@code CompositeMeterRegistry} that has exactly one {@code PrometheusMeterRegistry} among its members
     * (e.g. next to an OTLP registry that pushes the same meters): {@code /metrics} renders that one.
     *
     * @throws IllegalArgumentException at {@link Builder#build()} if the pipeline's registry is neither
     */
    public static Builder builder(Pipeline pipeline) {
        return new Builder(pipeline);
    }

    /** The registry {@code /metrics} renders: the pipeline's, or the one Prometheus member of its composite. */
    private static PrometheusMeterRegistry prometheusRegistry(Pipeline pipeline) {
        MeterRegistry registry = pipeline.meterRegistry();
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        String needed = " a PrometheusMeterRegistry, or a CompositeMeterRegistry with exactly one among its members"
                + " (Pipeline.builder(..).meterRegistry(..)), to serve /metrics";
        if (registry instanceof CompositeMeterRegistry composite) {
            List<PrometheusMeterRegistry> members = composite.getRegistries().stream()
                    .filter(PrometheusMeterRegistry.class::isInstance)
                    .map(PrometheusMeterRegistry.class::cast)
                    .toList();
            if (members.size() == 1) {
                return members.getFirst();
            }
            throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' is built with a"
                    + " CompositeMeterRegistry with " + members.size() + " PrometheusMeterRegistry members; it needs"
                    + needed);
        }
        throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' is built with a "
                + registry.getClass().getSimpleName() + "; it needs" + needed);
    }

    /**
     * Whether the server keeps {@code path} for itself: {@code /}, {@code /metrics},
     * {@code /metrics.json} and every path starting with {@code /health} (extensions claim more,
     * see {@link ServerExtension#claims(String)}). An ingress cannot use such a path.
     */
    public static boolean isReservedPath(String path) {
        return path.equals("/")
                || path.equals("/metrics")
                || path.equals("/metrics.json")
                || path.startsWith("/health");
    }

    private static void checkPaths(List<ApiEndpoint<?>> endpoints, List<ServerExtension> extensions) {
        List<String> seen = new ArrayList<>();
        for (ApiEndpoint<?> e : endpoints) {
            String path = e.path();
            if (isReservedPath(path) || extensions.stream().anyMatch(x -> x.claims(path))) {
                throw new IllegalArgumentException("ingress path " + path + " is reserved by the runtime's server");
            }
            if (seen.contains(path)) {
                throw new IllegalArgumentException("two ingress endpoints use the path " + path);
            }
            seen.add(path);
        }
    }

    /**
     * Starts the server, then the pipeline (if it was not started).
     *
     * @throws ServerStartException if the server cannot listen where it was told to (port in use, host
     *                              unknown or not this machine's, bind refused); then nothing was started
     * @throws IllegalStateException if the server was started before
     */
    public synchronized PortflowServer start() {
        if (server != null) {
            throw new IllegalStateException("the server was started before; build a new one");
        }
        ListenAddress where = ListenAddress.check(settings.host(), settings.port());
        ConnectionGuard guard = new ConnectionGuard(
                Http1Config.builder()
                        .maxHeadersSize(settings.maxHeaderBytes())
                        .maxPrologueLength(4096)
                        .build(),
                settings.maxConnections(),
                settings.idleTimeout(),
                settings.readTimeout(),
                HEALTH_PATHS);
        WebServer started;
        try {
            started = WebServer.builder()
                    .address(where.address())
                    .port(settings.port())
                    .shutdownHook(false)
                    .addRouting(routing)
                    // only the guard: it watches every connection from its first byte (see ConnectionGuard)
                    .protocolsDiscoverServices(false)
                    .addConnectionSelector(guard)
                    .maxTcpConnections(guard.maxTcpConnections())
                    .maxConcurrentRequests(settings.maxConcurrentRequests())
                    // Helidon's own idle check, for connections waiting for a request: a second line to the guard's
                    .idleConnectionTimeout(settings.idleTimeout())
                    .idleConnectionPeriod(
                            Duration.ofMillis(Math.clamp(settings.idleTimeout().toMillis() / 2, 100, 15_000)))
                    .maxPayloadSize(maxPayloadBytes)
                    .directHandlers(JsonDirectHandler.forAllEvents(maxPayloadBytes))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        if (!started.isRunning()) {
            // The port was taken between the check and Helidon's bind; Helidon has logged why.
            guard.close();
            throw new ServerStartException(
                    "cannot listen on " + settings.host() + " port " + settings.port() + " (see the log above)", null);
        }
        this.connections = guard;
        this.server = started;
        if (pipeline.state() == dev.portflow.runtime.PipelineState.NEW) {
            pipeline.start();
        }
        extensions.forEach(x -> x.started(this));
        return this;
    }

    /** The port the server listens on (the real one when built with port 0); -1 when it is not running. */
    public int port() {
        WebServer running = server;
        return running == null ? -1 : running.port();
    }

    /** {@code http://host:port}. */
    public String baseUri() {
        String host = settings.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * Drains the pipeline while the server keeps answering (ingress 503 {@code shutting_down},
     * readiness 503, metrics live), then stops the server.
     */
    public DrainReport drainAndStop(Duration timeout) {
        try {
            return pipeline.drain(timeout);
        } finally {
            extensions.forEach(ServerExtension::stopping);
            stopServer();
        }
    }

    /** Drains for up to 30 s and stops; only releases the JVM meters when the server never started. */
    @Override
    public void close() {
        WebServer running = server;
        if (running != null && running.isRunning()) {
            drainAndStop(Duration.ofSeconds(30));
        } else {
            stopServer();
        }
    }

    private void stopServer() {
        WebServer running = server;
        if (running != null) {
            running.stop();
        }
        ConnectionGuard guard = connections;
        if (guard != null) {
            guard.close();
        }
        if (jvmMetrics != null) {
            jvmMetrics.close();
        }
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        boolean openMetrics = req.headers()
                .first(HeaderNames.ACCEPT)
                .map(accept -> accept.contains("application/openmetrics-text"))
                .orElse(false);
        String format = openMetrics ? OPEN_METRICS : TEXT_FORMAT;
        res.header(HeaderNames.CONTENT_TYPE, format);
        res.send(registry.scrape(format).getBytes(StandardCharsets.UTF_8));
    }

    private void metricsJson(ServerRequest req, ServerResponse res) {
        json(res, 200, MetricsJson.render(pipeline));
    }

    /**
     * Liveness: 200 while the process serves, {@code UP} or {@code DEGRADED} with the reasons. A
     * degraded component is not a reason to restart the process (a full disk or a database outage
     * stays), so it never turns liveness 503.
     */
    private void live(ServerRequest req, ServerResponse res) {
        json(res, 200, HealthJson.render(pipeline.health(), null));
    }

    /**
     * Readiness: 503 while the pipeline starts or drains; else 200, {@code UP} or {@code DEGRADED} with
     * the reasons (a degraded pipeline still takes and accounts for every message, so it stays in
     * rotation; alert on {@code portflow.component.degraded}).
     */
    private void ready(ServerRequest req, ServerResponse res) {
        boolean ready = pipeline.isReady();
        json(
                res,
                ready ? 200 : 503,
                ready
                        ? HealthJson.render(pipeline.health(), pipeline.state())
                        : "{\"status\":\"DOWN\",\"pipeline\":\""
                                + pipeline.state().name() + "\"}");
    }

    private static void ingress(Ingress<?> ingress, ServerRequest req, ServerResponse res) {
        IngressRequest request;
        try {
            request = toIngressRequest(req, ingress.readLimit());
        } catch (RuntimeException e) {
            // A broken body or framing (bad Content-Length, bad chunk, early close): Helidon reports
            // these as various runtime exceptions. Nothing was queued; it is the client's error.
            json(res, 400, "{\"error\":\"invalid_request\",\"message\":\"could not read the request body\"}");
            return;
        }
        IngressResponse answer = ingress.handle(request);
        res.status(Status.create(answer.status()));
        answer.headers().forEach(res::header);
        json(res, answer.status(), answer.body());
    }

    static IngressRequest toIngressRequest(ServerRequest req, int readLimit) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.put(h.name(), h.allValues()));
        long declared = req.headers().contentLength().orElse(-1L);
        byte[] body;
        if (declared >= readLimit || !req.prologue().method().equals(Method.POST)) {
            body = new byte[0]; // too large (or not a POST): answered without reading
        } else {
            try (InputStream in = req.content().inputStream()) {
                body = in.readNBytes(readLimit); // one byte over the limit tells a chunked body is too large
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new IngressRequest(req.prologue().method().text(), headers, body, declared);
    }

    private static void json(ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Where and how the server listens, as built (the Helidon server itself is made by {@link #start()}). */
    private record Listening(
            String host,
            int port,
            int maxConnections,
            int maxConcurrentRequests,
            int maxHeaderBytes,
            Duration idleTimeout,
            Duration readTimeout) {}

    /** Server settings; every limit has a deliberate default. */
    public static final class Builder {
        private final Pipeline pipeline;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxConnections = 2048;
        private int maxConcurrentRequests = 1024;
        private int maxHeaderBytes = 16 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(10);
        private boolean jvmMetrics = true;
        private final List<ServerExtension> extensions = new ArrayList<>();

        private Builder(Pipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        }

        /** Interface to bind; default {@code 127.0.0.1}. */
        public Builder host(String newHost) {
            this.host = Objects.requireNonNull(newHost);
            return this;
        }

        /** Port to bind, 0 for any free port; default 8080. */
        public Builder port(int newPort) {
            if (newPort < 0 || newPort > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + newPort);
            }
            this.port = newPort;
            return this;
        }

        /**
         * Connections served at once; default 2048. Up to 16 more are
         * accepted only to answer a {@code GET /health/live} or {@code /health/ready} (anything else on them
         * gets 503 {@code too_many_connections} with {@code Retry-After} at once), so liveness answers even
         * while the limit is reached. Beyond those, new clients wait in the operating system's backlog.
         */
        public Builder maxConnections(int max) {
            this.maxConnections = positive(max, "max connections");
            return this;
        }

        /** Requests handled at once; beyond it the server answers 503 {@code backpressure} at once. Default 1024. */
        public Builder maxConcurrentRequests(int max) {
            this.maxConcurrentRequests = positive(max, "max concurrent requests");
            return this;
        }

        /** Request headers at most (the request line may take 4 KiB more); default 16 KiB. */
        public Builder maxHeaderBytes(int max) {
            this.maxHeaderBytes = positive(max, "max header bytes");
            return this;
        }

        /**
         * A connection waiting this long for a request (a new connection that sends nothing, or a kept-alive
         * one between requests) is closed; default 30 s.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /**
         * A client that sends nothing for this long in the middle of a request (its headers or body) is cut
         * off: the connection is closed without an answer. It bounds each wait for the next bytes, so a slow
         * but steady client is not cut off. Default 10 s.
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /**
         * Whether {@code /metrics} also shows the JVM and the process (Micrometer's memory, GC, thread,
         * class-loader, processor, uptime, file-descriptor and JVM-info meters, bound to the pipeline's registry,
         * every member of a composite, when the server is built); default {@code true}.
         */
        public Builder jvmMetrics(boolean enabled) {
            this.jvmMetrics = enabled;
            return this;
        }

        /** Serves {@code extension} too, e.g. {@code new Dashboard()} from {@code portflow-dashboard}. */
        public Builder extension(ServerExtension extension) {
            extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        public PortflowServer build() {
            return new PortflowServer(this);
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
