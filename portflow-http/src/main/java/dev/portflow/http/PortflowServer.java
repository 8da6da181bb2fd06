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

/**
 * The runtime's HTTP server (Helidon SE WebServer on virtual threads): the pipeline's ingress
 * endpoints plus {@code GET /metrics} (Prometheus text), {@code GET /metrics.json},
 * {@code GET /health/live} and {@code GET /health/ready} (503 while starting or draining), and what
 * {@link ServerExtension extensions} add (the dashboard at {@code GET /}).
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
 * <p>Limits are set on purpose so that a slow or abusive client cannot exhaust threads or memory:
 * see {@link Builder} for each and its default.
 */
public final class PortflowServer implements AutoCloseable {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final Pipeline pipeline;
    private final PrometheusMeterRegistry registry;
    private final List<ApiEndpoint<?>> endpoints;
    private final List<ServerExtension> extensions;
    private final WebServer server;
    private final String host;

    private PortflowServer(Builder b) {
        this.pipeline = b.pipeline;
        this.host = b.host;
        if (b.pipeline.meterRegistry() instanceof PrometheusMeterRegistry prometheus) {
            this.registry = prometheus;
        } else {
            throw new IllegalArgumentException("pipeline '" + b.pipeline.name() + "' must be built with a"
                    + " PrometheusMeterRegistry (Pipeline.builder(..).meterRegistry(..)) to serve /metrics");
        }
        this.endpoints = List.copyOf(b.pipeline.componentsOfType(ApiEndpoint.class).stream()
                .map(e -> (ApiEndpoint<?>) e).toList());
        this.extensions = List.copyOf(b.extensions);
        checkPaths(endpoints, extensions);

        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/metrics", this::metrics)
                .get("/metrics.json", this::metricsJson)
                .get("/health/live", (req, res) -> json(res, 200, "{\"status\":\"UP\"}"))
                .get("/health/ready", this::ready);
        for (ApiEndpoint<?> endpoint : endpoints) {
            Ingress<?> ingress = endpoint.ingress();
            routing.any(endpoint.path(), (req, res) -> ingress(ingress, req, res));
        }
        for (ServerExtension extension : extensions) {
            extension.routing(routing, pipeline);
        }
        long largestBody = endpoints.stream().mapToLong(e -> e.ingress().settings().maxBodyBytes()).max().orElse(0);
        this.server = WebServer.builder()
                .host(b.host)
                .port(b.port)
                .shutdownHook(false)
                .addRouting(routing)
                .maxTcpConnections(b.maxConnections)
                .maxConcurrentRequests(b.maxConcurrentRequests)
                .idleConnectionTimeout(b.idleTimeout)
                .idleConnectionPeriod(Duration.ofSeconds(Math.max(1, b.idleTimeout.toSeconds() / 2)))
                // A hard cap above every ingress's own limit: the ingress answers 413 with its JSON body,
                // this only protects against an endpoint-less request with a huge body.
                .maxPayloadSize(Math.max(1 << 20, 2 * largestBody))
                .connectionOptions(o -> o.readTimeout(b.readTimeout))
                .addProtocol(Http1Config.builder()
                        .maxHeadersSize(b.maxHeaderBytes)
                        .maxPrologueLength(4096)
                        .build())
                .build();
    }

    /** Starts building a server for {@code pipeline} (built with a {@code PrometheusMeterRegistry}). */
    public static Builder builder(Pipeline pipeline) {
        return new Builder(pipeline);
    }

    private static void checkPaths(List<ApiEndpoint<?>> endpoints, List<ServerExtension> extensions) {
        List<String> seen = new ArrayList<>();
        for (ApiEndpoint<?> e : endpoints) {
            String path = e.path();
            if (path.equals("/metrics") || path.equals("/metrics.json") || path.startsWith("/health") || path.equals("/")
                    || extensions.stream().anyMatch(x -> x.claims(path))) {
                throw new IllegalArgumentException("ingress path " + path + " is reserved by the runtime's server");
            }
            if (seen.contains(path)) {
                throw new IllegalArgumentException("two ingress endpoints use the path " + path);
            }
            seen.add(path);
        }
    }

    /** Starts the pipeline (if it was not started) and the server. */
    public PortflowServer start() {
        server.start();
        if (pipeline.state() == dev.portflow.runtime.PipelineState.NEW) {
            pipeline.start();
        }
        extensions.forEach(x -> x.started(this));
        return this;
    }

    /** The port the server listens on (the real one when built with port 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}. */
    public String baseUri() {
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
            server.stop();
        }
    }

    /** Drains for up to 30 s and stops. */
    @Override
    public void close() {
        if (server.isRunning()) {
            drainAndStop(Duration.ofSeconds(30));
        }
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, TEXT_FORMAT);
        res.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void metricsJson(ServerRequest req, ServerResponse res) {
        json(res, 200, MetricsJson.render(pipeline));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        boolean ready = pipeline.isReady();
        json(res, ready ? 200 : 503, "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"pipeline\":\""
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
        if (declared >= readLimit || req.prologue().method() != Method.POST) {
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

        /** Open TCP connections at most; default 2048. */
        public Builder maxConnections(int max) {
            this.maxConnections = positive(max, "max connections");
            return this;
        }

        /** Requests handled at once; beyond it the server answers 503 at once. Default 1024. */
        public Builder maxConcurrentRequests(int max) {
            this.maxConcurrentRequests = positive(max, "max concurrent requests");
            return this;
        }

        /** Request line and headers together at most; default 16 KiB. */
        public Builder maxHeaderBytes(int max) {
            this.maxHeaderBytes = positive(max, "max header bytes");
            return this;
        }

        /** A connection with no request for this long is closed; default 30 s. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** A client that sends nothing for this long in the middle of a request is cut off; default 10 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout);
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
    }
}
