package dev.portflow.http;

import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/** A real pipeline (api_endpoint -> sink) behind a real server on a free port, and a real client. */
final class HttpFixture implements AutoCloseable {

    static final String ORDER_SCHEMA = """
            {"type": "object", "required": ["id", "amount"],
             "properties": {"id": {"type": "string"}, "amount": {"type": "number", "minimum": 0}}}
            """;

    final List<JsonMessage> received = new CopyOnWriteArrayList<>();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Pipeline pipeline;
    final PortflowServer server;
    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpFixture(
            IngressSettings settings, @Nullable String schema, ConnectionOptions edge, Sink<JsonMessage> extraWork) {
        this(settings, schema, edge, extraWork, server -> {});
    }

    /** As above, with {@code serverSettings} applied to the server's builder (limits, timeouts). */
    HttpFixture(
            IngressSettings settings,
            @Nullable String schema,
            ConnectionOptions edge,
            Sink<JsonMessage> extraWork,
            Consumer<PortflowServer.Builder> serverSettings) {
        ApiEndpoint<JsonMessage> api = schema == null ? ApiEndpoint.json(settings) : ApiEndpoint.json(settings, schema);
        pipeline = Pipeline.builder("http_test")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .sink("sink", JsonMessage.class, m -> {
                    extraWork.accept(m);
                    received.add(m);
                })
                .connect("api.out_requests", "sink.in_requests", edge)
                .build();
        PortflowServer.Builder builder = PortflowServer.builder(pipeline).port(0);
        serverSettings.accept(builder);
        server = builder.build().start();
        // The endpoint takes requests once its source runs, a moment after start(): until then, 503 not_ready.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(api.ingress()::isAccepting);
    }

    static HttpFixture simple(@Nullable String schema) {
        return new HttpFixture(
                IngressSettings.of("/orders"),
                schema,
                ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                m -> {});
    }

    URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    HttpResponse<String> post(String path, @Nullable String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String body) throws IOException, InterruptedException {
        return post("/orders", "application/json", body);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.drainAndStop(Duration.ofSeconds(10));
        client.close();
    }
}
