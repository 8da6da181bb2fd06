package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ServerSpec;
import dev.portflow.blueprint.spi.Position;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's limits from {@code server:}, and failures to start (a host that does not resolve, a
 * Kafka that cannot be reached) told apart from problems in the blueprint.
 */
@Timeout(60)
class ServerAndStartTest {

    private static final String PIPELINE = """
            components:
              - {name: api, recipe: api_endpoint, config: {path: /orders}}
              - {name: sink, recipe: log_sink}
            connections:
              - {from: api.out_requests, to: sink.in_orders}
            """;

    @Test
    void serverLimitsAreReadAndApplied() throws Exception {
        Blueprint b =
                Blueprints.loader().validate("limits.yaml", """
                name: limits
                server:
                  port: 0
                  max_connections: 64
                  max_concurrent_requests: 32
                  max_header_bytes: 2048
                  idle_timeout_ms: 5000
                  read_timeout_ms: 2000
                """ + PIPELINE).orThrow();
        ServerSpec server = b.server();
        assertThat(server.maxConnections()).isEqualTo(64);
        assertThat(server.maxConcurrentRequests()).isEqualTo(32);
        assertThat(server.maxHeaderBytes()).isEqualTo(2048);
        assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Blueprints.loader()
                        .validate("d.yaml", "name: d\n" + PIPELINE)
                        .orThrow()
                        .server()
                        .maxHeaderBytes())
                .as("left out: the server's default")
                .isNull();

        try (Assembly assembly =
                Blueprints.assemble(b, AssemblyOptions.defaults()).start()) {
            String base = assembly.server().orElseThrow().baseUri();
            HttpClient client = HttpClient.newHttpClient();
            assertThat(post(client, base, "x".repeat(100)).statusCode()).isEqualTo(202);
            assertThat(post(client, base, "x".repeat(4000)).statusCode())
                    .as("headers over max_header_bytes: 2048")
                    .isGreaterThanOrEqualTo(400)
                    .isLessThan(500);
        }
    }

    private static HttpResponse<String> post(HttpClient client, String base, String header) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/orders"))
                        .header("Content-Type", "application/json")
                        .header("X-Padding", header)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHostThatDoesNotResolveIsAFailureToStartNotABlueprintProblem() {
        Blueprint b = Blueprints.loader()
                .validate("host.yaml", "name: host\nserver: {host: no-such-host.invalid, port: 0}\n" + PIPELINE)
                .orThrow();
        Throwable[] fromAssemble = new Throwable[1];
        Throwable thrown = catchThrowable(() -> {
            Assembly assembly;
            try {
                assembly = Blueprints.assemble(b, AssemblyOptions.defaults());
            } catch (RuntimeException e) {
                fromAssemble[0] = e;
                throw e;
            }
            try (assembly) {
                assembly.start();
            }
        });
        assertThat(thrown).isNotNull().isNotInstanceOf(BlueprintException.class);
        if (fromAssemble[0] != null) {
            assertThat(fromAssemble[0])
                    .isInstanceOf(StartFailureException.class)
                    .hasMessageContaining("host.yaml:2:16: cannot start the server at no-such-host.invalid");
        }
    }

    @Test
    void anUnreachableKafkaIsAFailureToStart() {
        Blueprint b = Blueprints.loader().validate("kafka.yaml", """
                name: nokafka
                kafka: {bootstrap_servers: "127.0.0.1:1", client: {default.api.timeout.ms: "1500", request.timeout.ms: "1000"}}
                components:
                  - {name: gen, recipe: generator, config: {rate: 1}}
                  - {name: sink, recipe: log_sink}
                connections:
                  - {from: gen.out_n, to: sink.in_n, transport: kafka}
                """).orThrow();
        assertThatThrownBy(() -> Blueprints.assemble(
                        b, AssemblyOptions.defaults().withoutServer().environment(Map.of())))
                .isInstanceOfSatisfying(
                        StartFailureException.class,
                        e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                            assertThat(p.position()).isEqualTo(new Position(7, 49));
                            assertThat(p.message()).startsWith("cannot set up kafka connection gen.out_n -> sink.in_n");
                        }))
                .hasMessageStartingWith("cannot start pipeline 'nokafka'");
    }
}
