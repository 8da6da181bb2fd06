package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.fixtures.Collect;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.model.KafkaSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.model.TracingSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.Connection;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.ComponentInfo;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.Workers;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Good blueprints parse into the model with positions, and assemble into pipelines that run. */
class GoodBlueprintsTest {

    private static final Path DIR = Path.of("src/test/resources/good");

    @Test
    void specExampleParsesWithPositionsOnEveryElement() {
        Validation v = Blueprints.validate(DIR.resolve("spec-example.yaml"));
        assertThat(v.problems()).isEmpty();
        Blueprint b = v.orThrow();
        assertThat(b.name()).isEqualTo("orders");
        assertThat(b.position("name")).isEqualTo(new Position(1, 7));
        assertThat(b.server().host()).isEqualTo("127.0.0.1");
        assertThat(b.server().port()).isEqualTo(8080);
        assertThat(b.server().position("port")).isEqualTo(new Position(2, 33));

        SchemaSpec order = get(b.schemas(), "Order");
        assertThat(order.position()).isEqualTo(new Position(4, 3));
        assertThat(order.json().get("required").toString()).isEqualTo("[\"id\",\"amount\"]");
        assertThat(order.json().get("properties").get("amount").get("type").asString())
                .isEqualTo("number");

        assertThat(b.components()).extracting(ComponentSpec::name).containsExactly("api", "big", "store");
        ComponentSpec api = b.components().getFirst();
        assertThat(api.position()).isEqualTo(new Position(6, 5));
        assertThat(api.position("recipe")).isEqualTo(new Position(6, 25));
        assertThat(get(api.config(), "path").keyPosition()).isEqualTo(new Position(6, 48));
        assertThat(get(api.config(), "path").valuePosition()).isEqualTo(new Position(6, 54));
        assertThat(get(api.config(), "timeout_ms").value().toJava()).isEqualTo(2000L);
        assertThat(api.outputs())
                .containsExactly(new PortSpec("out_requests", "Order", new Position(7, 23), new Position(7, 45)));

        ConnectionSpec first = b.connections().getFirst();
        assertThat(first.from())
                .isEqualTo(new Endpoint("api", "out_requests", new Position(11, 12), new Position(11, 16)));
        Endpoint to = Objects.requireNonNull(first.to(), "to");
        assertThat(to.toString()).isEqualTo("big.in_orders");
        assertThat(to.portPosition()).isEqualTo(new Position(11, 38));
        assertThat(first.bufferSize()).isEqualTo(1024);
        assertThat(first.overflowPolicy()).isEqualTo(OverflowPolicy.BLOCK_WITH_TIMEOUT);
        assertThat(first.timeoutMs()).isEqualTo(2000L);
        assertThat(first.position("overflow")).isEqualTo(new Position(11, 78));
        ConnectionSpec second = b.connections().get(1);
        assertThat(second.bufferSize()).isNull();
        assertThat(second.overflow()).isNull();
        assertThat(second.isKafka()).isFalse();
    }

    @Test
    void flowAndBlockStyleGiveTheSameModel() {
        Blueprint flow = Blueprints.load(DIR.resolve("spec-example.yaml"));
        Blueprint block = Blueprints.load(DIR.resolve("block-style.yaml"));
        assertThat(block.name()).isEqualTo(flow.name());
        assertThat(block.server().port()).isEqualTo(flow.server().port());
        assertThat(get(block.schemas(), "Order").json())
                .isEqualTo(get(flow.schemas(), "Order").json());
        for (int i = 0; i < 3; i++) {
            ComponentSpec a = flow.components().get(i);
            ComponentSpec c = block.components().get(i);
            assertThat(c.name()).isEqualTo(a.name());
            assertThat(c.recipe()).isEqualTo(a.recipe());
            assertThat(c.config().keySet()).isEqualTo(a.config().keySet());
            c.config()
                    .forEach((k, e) -> assertThat(e.value().toJava())
                            .isEqualTo(get(a.config(), k).value().toJava()));
        }
        assertThat(block.connections())
                .extracting(ConnectionSpec::describe)
                .containsExactly("api.out_requests -> big.in_orders", "big.out_orders -> store.in_orders");
        assertThat(get(block.components().get(1).config(), "condition").keyPosition())
                .isEqualTo(new Position(25, 7));
    }

    @Test
    void builtInRecipesRunFromABlueprint(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.yaml");
        java.nio.file.Files.writeString(file, """
                name: builtins
                components:
                  - {name: gen, recipe: generator, config: {rate: 1000, count: 20, template: {id: "o-${seq}", amount: "${seq}"}}}
                  - {name: big, recipe: filter, config: {condition: "amount >= 15"}}
                  - {name: out, recipe: jsonl_sink, config: {path: big-orders.jsonl}}
                connections:
                  - {from: gen.out_orders, to: big.in_orders}
                  - {from: big.out_orders, to: out.in_orders}
                """);
        Assembly assembly = Blueprints.assemble(
                Blueprints.load(file), AssemblyOptions.defaults().withoutServer());
        assembly.start();
        assertThat(assembly.pipeline().awaitTermination(Duration.ofSeconds(20))).isTrue();

        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("big-orders.jsonl"));
        assertThat(lines).hasSize(5);
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("\"id\":\"o-1"));
        assertThat(assembly.pipeline().inputPort("big", "in_orders").metrics().droppedByReason())
                .containsEntry("filtered", 15L);
    }

    @Test
    void userClassesAssembleIntoARunningPipeline() throws Exception {
        Collect.bucket("numbers-yaml").clear();
        Assembly assembly = Blueprints.assemble(
                Blueprints.load(DIR.resolve("numbers.yaml")),
                AssemblyOptions.defaults().withoutServer());
        assertThat(assembly.server()).isEmpty();
        Pipeline pipeline = assembly.pipeline();
        assertThat(pipeline.name()).isEqualTo("numbers");
        assertThat(pipeline.connections()).extracting(Connection::capacity).containsExactly(16, 4);
        assertThat(pipeline.connections())
                .extracting(c -> c.options().overflow())
                .containsExactly(OverflowPolicy.BLOCK, OverflowPolicy.BLOCK_WITH_TIMEOUT);
        assertThat(pipeline.connections().get(1).options().timeout()).isEqualTo(Duration.ofSeconds(5));

        assembly.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        List<Object> got = Collect.bucket("numbers-yaml");
        assertThat(got).hasSize(100);
        assertThat(got).extracting(m -> field(m, "n")).contains(2L, 200L);
        assertThat(assembly.meterRegistry().scrape())
                .contains("portflow_port_messages_in_total")
                .contains("pipeline=\"numbers\"");
    }

    /** AssemblyOptions.tracing reaches the pipeline: every message that enters asks the tracer. */
    @Test
    void theTracingOfTheOptionsTracesThePipeline() throws Exception {
        Collect.bucket("numbers-yaml").clear();
        List<String> pipelines = new CopyOnWriteArrayList<>();
        AtomicInteger entered = new AtomicInteger();
        MessageTracer tracer = new MessageTracer() {
            @Override
            public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
                entered.incrementAndGet();
                return null; // not sampled
            }

            @Override
            public StageSpan stage(
                    TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
                throw new AssertionError("no message is traced");
            }

            @Override
            public @Nullable StageSpan late(
                    String component,
                    String port,
                    long originNanos,
                    long enqueuedNanos,
                    long receivedNanos,
                    String why) {
                return null;
            }

            @Override
            public long slowAfterNanos() {
                return Long.MAX_VALUE;
            }
        };
        Assembly assembly = Blueprints.assemble(
                Blueprints.load(DIR.resolve("numbers.yaml")),
                AssemblyOptions.defaults().withoutServer().tracing((pipeline, ticker) -> {
                    pipelines.add(pipeline);
                    return tracer;
                }));
        assembly.start();
        assertThat(assembly.pipeline().awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipelines).containsExactly("numbers");
        assertThat(entered).hasValue(100);
        assertThat(Collect.bucket("numbers-yaml")).hasSize(100);
    }

    @Test
    void apiEndpointRecipeServesOnTheBlueprintsServer() throws Exception {
        Collect.bucket("api-yaml").clear();
        Assembly assembly = Blueprints.assemble(Blueprints.load(DIR.resolve("api.yaml")), AssemblyOptions.defaults());
        assertThat(assembly.pipeline().connections().getFirst().options().overflow())
                .as("edges leaving an api_endpoint default to block_with_timeout")
                .isEqualTo(OverflowPolicy.BLOCK_WITH_TIMEOUT);
        assembly.start();
        try {
            String base = assembly.server().orElseThrow().baseUri();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ok = post(client, base + "/orders", "{\"id\":\"a1\",\"amount\":120}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
            HttpResponse<String> invalid = post(client, base + "/orders", "{\"amount\":-1}");
            assertThat(invalid.statusCode()).isEqualTo(422);
            assertThat(invalid.body()).contains("validation_failed").contains("\"field\":\"id\"");
            HttpResponse<String> large =
                    post(client, base + "/orders", "{\"id\":\"" + "x".repeat(2000) + "\",\"amount\":1}");
            assertThat(large.statusCode()).as("max_body_bytes: 1024").isEqualTo(413);
            HttpResponse<String> metrics = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("portflow_ingress_requests_total");
        } finally {
            DrainReport report = assembly.drainAndStop(Duration.ofSeconds(10));
            assertThat(report.completed()).isTrue();
        }
        assertThat(Collect.bucket("api-yaml"))
                .singleElement()
                .isInstanceOfSatisfying(
                        JsonMessage.class, m -> assertThat(m.fields()).containsEntry("id", "a1"));
    }

    /** The value of {@code key}, which {@code map} must hold. */
    private static <V> V get(Map<String, V> map, String key) {
        return Objects.requireNonNull(map.get(key), key);
    }

    private static @Nullable Object field(Object message, String key) {
        return ((Map<?, ?>) message).get(key);
    }

    private static HttpResponse<String> post(HttpClient client, String uri, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recipesFromServiceLoaderPlugInWithTheirConfigAndChecks() throws Exception {
        assertThat(Blueprints.loader().recipes().find("every_nth")).isPresent();
        String yaml = """
                name: nth
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers, config: {count: 9}}
                  - {name: third, recipe: every_nth, config: {n: 3}}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect, config: {bucket: nth}}
                connections:
                  - {from: gen.out_n, to: third.in_n}
                  - {from: third.out_n, to: sink.in_n}
                """;
        Collect.bucket("nth").clear();
        Blueprint b = Blueprints.loader().validate("nth.yaml", yaml).orThrow();
        try (Assembly a = Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())
                .start()) {
            assertThat(a.pipeline().awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Collect.bucket("nth")).extracting(m -> field(m, "n")).containsExactly(3L, 6L, 9L);

        assertThat(Blueprints.loader()
                        .validate("nth.yaml", yaml.replace("n: 3", "n: 13"))
                        .report())
                .isEqualTo("nth.yaml:4:50: 13 is unlucky (hint: pick another n)");
        assertThat(Blueprints.loader()
                        .validate("nth.yaml", yaml.replace("n: 3", "n: 300"))
                        .report())
                .isEqualTo("nth.yaml:4:50: config key 'n' must be between 1 and 100, was 300"
                        + " (hint: n: an integer, keep one message in n)");
    }

    @Test
    void theTracingSectionCarriesWhatIsWrittenAndNullForTheDefaults() {
        String yaml = """
                name: traced
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers}
                """;
        assertThat(Blueprints.loader().validate("none.yaml", yaml).orThrow().tracing())
                .isNull();

        Blueprint full = Blueprints.loader()
                .validate("full.yaml", yaml + "tracing: {sample_ratio: 0.25, slow_ms: 500}\n")
                .orThrow();
        TracingSpec tracing = Objects.requireNonNull(full.tracing(), "tracing:");
        assertThat(tracing.sampleRatio()).isEqualTo(0.25);
        assertThat(tracing.slowMs()).isEqualTo(500L);
        assertThat(tracing.position("slow_ms")).isEqualTo(new Position(7, 40));
        assertThat(full.position("tracing")).isEqualTo(new Position(7, 10));

        Blueprint bounds = Blueprints.loader()
                .validate("bounds.yaml", yaml + "tracing: {sample_ratio: 1, slow_ms: 0}\n")
                .orThrow();
        assertThat(Objects.requireNonNull(bounds.tracing()).sampleRatio()).isEqualTo(1.0);
        assertThat(Objects.requireNonNull(bounds.tracing()).slowMs()).isZero();

        for (String defaults : List.of("tracing: {}\n", "tracing:\n", "tracing: {sample_ratio: null, slow_ms: }\n")) {
            TracingSpec on = Objects.requireNonNull(
                    Blueprints.loader()
                            .validate("on.yaml", yaml + defaults)
                            .orThrow()
                            .tracing(),
                    defaults);
            assertThat(on.sampleRatio()).as(defaults).isNull();
            assertThat(on.slowMs()).as(defaults).isNull();
        }
    }

    @Test
    void kafkaConnectionsAndTheKafkaSectionParseWithDefaults() {
        Blueprint b = Blueprints.load(DIR.resolve("kafka.yaml"));
        KafkaSpec kafka = Objects.requireNonNull(b.kafka(), "kafka:");
        assertThat(Objects.requireNonNull(kafka.settings().get("bootstrap_servers"))
                        .toJava())
                .isEqualTo("localhost:9092");
        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(kafka.client()).isEmpty();
        assertThat(kafka.lagRefreshMs()).isEqualTo(200);
        assertThat(kafka.prefetch()).isEqualTo(500);
        assertThat(b.connections().getFirst().isKafka()).isTrue();
        assertThat(b.connections().getFirst().topic()).isEqualTo("numbers");

        Blueprint full = Blueprints.loader().validate("full.yaml", """
                name: full
                kafka: {bootstrap_servers: "a:9092, b:9093", client: {security.protocol: SSL, linger.ms: 5},
                        lag_refresh_ms: 50, prefetch: 20}
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: kafka}
                """).orThrow();
        KafkaSpec fullKafka = Objects.requireNonNull(full.kafka(), "kafka:");
        assertThat(fullKafka.bootstrapServers()).isEqualTo("a:9092, b:9093");
        assertThat(fullKafka.client())
                .containsExactly(Map.entry("security.protocol", "SSL"), Map.entry("linger.ms", "5"));
        assertThat(fullKafka.lagRefreshMs()).isEqualTo(50);
        assertThat(fullKafka.prefetch()).isEqualTo(20);
        assertThat(full.connections().getFirst().topicIn(Objects.requireNonNull(full.name())))
                .isEqualTo("portflow.full.gen.out_numbers");
    }

    @Test
    void aKafkaConnectionWithoutBootstrapServersIsAProblemAtAssembly() {
        Blueprint b = Blueprints.loader().validate("nobroker.yaml", """
                name: nobroker
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: kafka}
                """).orThrow();
        assertThatThrownBy(() -> Blueprints.assemble(
                        b, AssemblyOptions.defaults().withoutServer().environment(Map.of())))
                .isInstanceOfSatisfying(
                        BlueprintException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::format)
                                .containsExactly(
                                        "nobroker.yaml:6:61: connection gen.out_numbers -> sink.in_numbers runs over"
                                                + " Kafka, but no Kafka bootstrap servers are set (hint: add kafka: {bootstrap_servers:"
                                                + " \"host:port\"} to the blueprint, or set the environment variable"
                                                + " PORTFLOW_KAFKA_BOOTSTRAP)"));
    }

    @Test
    void aSubsetWithoutKafkaEndsNeedsNoKafka() throws Exception {
        Collect.bucket("subset-b").clear();
        Blueprint b = Blueprints.loader().validate("subset.yaml", """
                name: subset
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: a, class: dev.portflow.blueprint.fixtures.Collect}
                  - {name: gen2, class: dev.portflow.blueprint.fixtures.Numbers, config: {count: 3}}
                  - {name: b, class: dev.portflow.blueprint.fixtures.Collect, config: {bucket: subset-b}}
                connections:
                  - {from: gen.out_numbers, to: a.in_numbers, transport: kafka}
                  - {from: gen2.out_numbers, to: b.in_numbers}
                """).orThrow();
        try (Assembly assembly = Blueprints.assemble(
                        b,
                        AssemblyOptions.defaults()
                                .withoutServer()
                                .environment(Map.of())
                                .only("gen2", "b"))
                .start()) {
            assertThat(assembly.usesKafka()).isFalse();
            assertThat(assembly.componentsHere()).containsExactly("gen2", "b");
            assertThat(assembly.pipeline().components())
                    .extracting(c -> c.name())
                    .containsExactlyInAnyOrder("gen2", "b");
            assertThat(assembly.pipeline().awaitTermination(Duration.ofSeconds(10)))
                    .isTrue();
        }
        assertThat(Collect.bucket("subset-b")).hasSize(3);
    }

    @Test
    void mermaidGraph() {
        assertThat(Blueprints.mermaid(Blueprints.load(DIR.resolve("spec-example.yaml"))))
                .isEqualTo("""
                graph LR
                  c_api(["api<br/>api_endpoint"])
                  c_big["big<br/>filter"]
                  c_store[("store<br/>store")]
                  c_api -->|"out_requests → in_orders<br/>1024 block_with_timeout 2000ms, then 503"| c_big
                  c_big -->|"out_orders → in_orders<br/>1024 block"| c_store
                """);
        assertThat(Blueprints.mermaid(Blueprints.load(DIR.resolve("kafka.yaml"))))
                .isEqualTo("""
                graph LR
                  c_gen(["gen<br/>Numbers"])
                  c_sink[("sink<br/>Collect")]
                  c_gen ==>|"out_numbers → in_numbers<br/>kafka numbers<br/>10000 block"| c_sink
                """);
        Blueprint defaults = Blueprints.loader().validate("defaults.yaml", """
                name: spread
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: kafka}
                """).orThrow();
        assertThat(Blueprints.mermaid(defaults))
                .as("the default topic and lag allowed")
                .contains(
                        "c_gen ==>|\"out_numbers → in_numbers<br/>kafka portflow.spread.gen.out_numbers<br/>10000 block\"| c_sink");
        Blueprint keyed = Blueprints.loader().validate("keyed.yaml", """
                name: spread
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: kafka, partitions: 6, key: customer_id}
                """).orThrow();
        assertThat(Blueprints.mermaid(keyed))
                .as("partitions and key")
                .contains(
                        "c_gen ==>|\"out_numbers → in_numbers<br/>kafka portflow.spread.gen.out_numbers, 6 partitions,"
                                + " key customer_id<br/>10000 block\"| c_sink");
    }

    @Test
    void workersOrderingAndKeyParseIntoTheModel() {
        Validation v = Blueprints.validate(DIR.resolve("workers.yaml"));
        assertThat(v.problems()).as(v.report()).isEmpty();
        Map<String, ComponentSpec> specs = new java.util.LinkedHashMap<>();
        v.orThrow().components().forEach(c -> specs.put(c.name(), c));
        assertThat(get(specs, "gen").workers()).isNull();
        assertThat(get(specs, "enrich").workers()).isEqualTo(Workers.fixed(4));
        assertThat(get(specs, "enrich").position("workers")).isEqualTo(new Position(4, 42));
        assertThat(get(specs, "route").workers()).as("min defaults to 1").isEqualTo(Workers.between(1, 8));
        assertThat(get(specs, "route").orderedByKey()).isFalse();
        assertThat(get(specs, "audit").orderedByKey()).isTrue();
        assertThat(get(specs, "audit").keyExpression()).isEqualTo("customer.id");
        assertThat(get(specs, "log").workers()).isEqualTo(Workers.between(2, 16));
        assertThat(get(specs, "tally").workers()).isEqualTo(Workers.one());
    }

    @Test
    void workersAndKeysGoIntoThePipeline() {
        Assembly assembly = Blueprints.assemble(
                Blueprints.load(DIR.resolve("workers.yaml")),
                AssemblyOptions.defaults().withoutServer());
        Map<String, ComponentInfo> components = new java.util.LinkedHashMap<>();
        assembly.pipeline().components().forEach(c -> components.put(c.name(), c));
        assertThat(get(components, "gen").workers()).isEqualTo(Workers.one());
        assertThat(get(components, "enrich").workers()).isEqualTo(Workers.fixed(4));
        assertThat(get(components, "enrich").orderedByKey()).isFalse();
        assertThat(get(components, "route").workers()).isEqualTo(Workers.between(1, 8));
        assertThat(get(components, "route").orderedByKey()).as("ordering: none").isFalse();
        assertThat(get(components, "audit").workers()).isEqualTo(Workers.fixed(8));
        assertThat(get(components, "audit").orderedByKey()).isTrue();
        assertThat(get(components, "log").workers()).isEqualTo(Workers.between(2, 16));
        assertThat(get(components, "log").orderedByKey()).isTrue();
        assertThat(get(components, "file").workers()).isEqualTo(Workers.one());
        assertThat(get(components, "tally").workers()).isEqualTo(Workers.one());
        assembly.close();
    }

    @Test
    void mermaidShowsWorkersAndTheKey() {
        assertThat(Blueprints.mermaid(Blueprints.load(DIR.resolve("workers.yaml"))))
                .contains(
                        "c_gen([\"gen<br/>generator\"])",
                        "c_enrich[\"enrich ×4<br/>map\"]",
                        "c_route{\"route ×1..8<br/>router\"}",
                        "c_audit[(\"audit ×8<br/>Collect<br/>ordered by customer.id\")]",
                        "c_log[(\"log ×2..16<br/>log_sink<br/>ordered by n\")]",
                        "c_file[(\"file<br/>jsonl_sink\")]",
                        "c_tally[(\"tally<br/>Tally\")]");
        Blueprint b = Blueprints.loader().validate("keys.yaml", """
                name: keys
                components:
                  - {name: gen, recipe: generator, config: {rate: 1}}
                  - {name: sink, recipe: log_sink, workers: 2, ordering: key, key: "amount > 100 ? \\"big\\" : 'small'"}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """).orThrow();
        assertThat(Blueprints.mermaid(b))
                .as("a key's < > and quotes are entities in the label")
                .contains(
                        "c_sink[(\"sink ×2<br/>log_sink<br/>ordered by amount #gt; 100 ? #quot;big#quot; : 'small'\")]");
    }

    @Test
    void mermaidShowsTheWaitThatAppliesToRequests() {
        Blueprint b = Blueprints.loader().validate("ingress.yaml", """
                name: ingress
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /a, timeout_ms: 300}}
                  - {name: hook, recipe: api_endpoint, config: {path: /b, timeout_ms: 500}}
                  - {name: quick, recipe: api_endpoint, config: {path: /c}}
                  - {name: sink, recipe: log_sink}
                  - {name: errors, recipe: log_sink}
                connections:
                  - {from: api.out_requests, to: sink.in_a}
                  - {from: api.err_requests, to: errors.in_e, buffer_size: 8}
                  - {from: hook.out_requests, to: sink.in_a, overflow: block}
                  - {from: quick.out_requests, to: sink.in_a, overflow: block_with_timeout, timeout_ms: 100}
                """).orThrow();
        assertThat(Blueprints.mermaid(b))
                .contains(
                        "c_api -->|\"out_requests → in_a<br/>1024 block_with_timeout 300ms, then 503\"| c_sink",
                        "c_api -.->|\"err_requests → in_e<br/>8 block_with_timeout, no wait: dropped when full\"| c_errors",
                        "c_hook -->|\"out_requests → in_a<br/>1024 block 500ms, then 503\"| c_sink",
                        "c_quick -->|\"out_requests → in_a<br/>1024 block_with_timeout 100ms, then 503\"| c_sink");
    }
}
