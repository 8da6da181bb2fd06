package dev.portflow.blueprint.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.AssemblyOptions;
import dev.portflow.blueprint.BlueprintException;
import dev.portflow.blueprint.Blueprints;
import dev.portflow.blueprint.fixtures.Typed;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.ComponentKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Which codec a Kafka connection gets, from the blueprint alone, and its schema check (no broker needed). */
class KafkaCodecsTest {

    private static final String FIXTURES = "dev.portflow.blueprint.fixtures.";

    private static BlueprintValidator.Edge edge(String yaml) {
        Blueprint b = Blueprints.loader().validate("codec.yaml", yaml).orThrow();
        SortedMap<String, Recipe> recipes = new TreeMap<>();
        Blueprints.loader().recipes().recipes().forEach(recipe -> recipes.put(recipe.name(), recipe));
        BlueprintValidator.Result r =
                BlueprintValidator.validate(b, recipes, Blueprints.loader().classLoader());
        return r.edges().stream().filter(e -> e.spec().isKafka()).findFirst().orElseThrow();
    }

    private static String blueprint(String from, String to) {
        return blueprint(from, to, "");
    }

    /** a -[kafka]-> b, with {@code options} (", key: sensor") added to the connection. */
    private static String blueprint(String from, String to, String options) {
        return """
                name: codec
                schemas:
                  Reading: {type: object, required: [sensor, celsius], properties: {celsius: {type: number}}}
                components:
                  - {name: a, %s, outputs: [{name: out_x, schema: Reading}]}
                  - {name: b, %s}
                connections:
                  - {from: a.out_x, to: b.in_x, transport: kafka%s}
                """.formatted(from, to, options);
    }

    private static @Nullable String text(byte @Nullable [] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    @Test
    void portTypesOfUserClassesComeFromTheirTypeArguments() {
        assertThat(ComponentTypes.outputType(Typed.Readings.class, ComponentKind.SOURCE))
                .isEqualTo(Typed.Reading.class);
        assertThat(ComponentTypes.inputType(Typed.ReadingKeeper.class, ComponentKind.SINK))
                .isEqualTo(Typed.Reading.class);
        assertThat(ComponentTypes.inputType(Typed.Names.class, ComponentKind.TRANSFORMER))
                .isEqualTo(Typed.Reading.class);
        assertThat(ComponentTypes.outputType(Typed.Names.class, ComponentKind.TRANSFORMER))
                .isEqualTo(String.class);
        assertThat(ComponentTypes.inputType(dev.portflow.blueprint.fixtures.Doubler.class, ComponentKind.TRANSFORMER))
                .isEqualTo(Map.class);
        assertThat(ComponentTypes.inputType(dev.portflow.blueprint.fixtures.Collect.class, ComponentKind.SINK))
                .isEqualTo(Object.class);
        assertThat(ComponentTypes.argument(Typed.Keeper.class, Sink.class, 0))
                .as("an unbound variable")
                .isEqualTo(Object.class);
        assertThat(ComponentTypes.argument(Source.class, Source.class, 0)).isEqualTo(Object.class);
        assertThat(ComponentTypes.argument(Typed.Readings.class, Transformer.class, 0))
                .isEqualTo(Object.class);
    }

    @Test
    void aRecipeAtEitherEndMeansJsonMessages() {
        assertThat(EdgeMessageTypes.messageType(
                        edge(blueprint("recipe: generator, config: {rate: 1}", "recipe: log_sink"))))
                .isEqualTo(JsonMessage.class);
        assertThat(EdgeMessageTypes.messageType(
                        edge(blueprint("class: " + FIXTURES + "Typed$Readings", "recipe: log_sink"))))
                .isEqualTo(JsonMessage.class);
    }

    @Test
    void userClassesAtBothEndsUseTheSendersTypeElseTheReceivers() {
        assertThat(EdgeMessageTypes.messageType(
                        edge(blueprint("class: " + FIXTURES + "Typed$Readings", "class: " + FIXTURES + "Collect"))))
                .isEqualTo(Typed.Reading.class);
        assertThat(EdgeMessageTypes.messageType(edge(
                        blueprint("class: " + FIXTURES + "Numbers", "class: " + FIXTURES + "Typed$ReadingKeeper"))))
                .isEqualTo(Typed.Reading.class);
        assertThat(EdgeMessageTypes.messageType(
                        edge(blueprint("class: " + FIXTURES + "Numbers", "class: " + FIXTURES + "Collect"))))
                .isEqualTo(Object.class);
    }

    @Test
    void theSchemaOfTheConnectionsPortsIsCheckedOnBothSides() {
        BlueprintValidator.Edge e = edge(blueprint("recipe: generator, config: {rate: 1}", "recipe: log_sink"));
        SchemaSpec reading = Blueprints.loader()
                .validate("codec.yaml", blueprint("recipe: generator, config: {rate: 1}", "recipe: log_sink"))
                .orThrow()
                .schemas()
                .get("Reading");
        MessageCodec<Object> codec = KafkaCodecs.forEdge(
                e, Objects.requireNonNull(reading, "schema Reading").json());
        JsonMessage good =
                new JsonMessage("m-1", Instant.ofEpochMilli(1000), null, Map.of("sensor", "s", "celsius", 2.5));
        RecordHeaders headers = new RecordHeaders();
        byte[] value = codec.encode(good, headers);
        assertThat(new String(value, StandardCharsets.UTF_8)).contains("\"celsius\":2.5");
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(
                "t",
                0,
                0,
                1000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0,
                value.length,
                codec.key(good),
                value,
                headers,
                java.util.Optional.empty());
        assertThat(codec.decode(record)).isEqualTo(good);

        JsonMessage bad = good.withBody(Map.of("sensor", "s", "celsius", "warm"));
        assertThatThrownBy(() -> codec.encode(bad, new RecordHeaders()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("message fails its schema: celsius: ");
        byte[] badValue = "{\"sensor\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> badRecord = new ConsumerRecord<>(
                "t",
                0,
                1,
                1000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0,
                badValue.length,
                null,
                badValue,
                new RecordHeaders(),
                java.util.Optional.empty());
        assertThatThrownBy(() -> codec.decode(badRecord))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("message fails its schema: celsius");
    }

    @Test
    void recordsAreKeyedByTheMessageIdUnlessTheConnectionNamesAKeyField() {
        JsonMessage reading =
                new JsonMessage("m-1", Instant.ofEpochMilli(1000), null, Map.of("sensor", "boiler", "celsius", 71.5));
        String recipes = "recipe: generator, config: {rate: 1}";
        assertThat(text(KafkaCodecs.forEdge(edge(blueprint(recipes, "recipe: log_sink")), null)
                        .key(reading)))
                .as("no key: the id")
                .isEqualTo("m-1");

        MessageCodec<Object> bySensor =
                KafkaCodecs.forEdge(edge(blueprint(recipes, "recipe: log_sink", ", key: sensor")), null);
        assertThat(text(bySensor.key(reading))).isEqualTo("boiler");
        MessageCodec<Object> byCelsius =
                KafkaCodecs.forEdge(edge(blueprint(recipes, "recipe: log_sink", ", key: celsius")), null);
        assertThat(text(byCelsius.key(reading))).as("a number: its JSON text").isEqualTo("71.5");
        assertThat(bySensor.key(reading.withBody(Map.of("celsius", 2))))
                .as("no such field: unkeyed")
                .isNull();

        // a user class's record to a recipe: keyed as the JsonMessage it is sent as
        MessageCodec<Object> toRecipe = KafkaCodecs.forEdge(
                edge(blueprint("class: " + FIXTURES + "Typed$Readings", "recipe: log_sink", ", key: sensor")), null);
        assertThat(text(toRecipe.key(new Typed.Reading("s7", 20.0)))).isEqualTo("s7");
        // records between user classes: keyed by the field of their JSON rendering
        MessageCodec<Object> typed = KafkaCodecs.forEdge(
                edge(blueprint(
                        "class: " + FIXTURES + "Typed$Readings", "class: " + FIXTURES + "Collect", ", key: sensor")),
                null);
        assertThat(typed.type()).isEqualTo(Typed.Reading.class);
        assertThat(text(typed.key(new Typed.Reading("s8", 20.0)))).isEqualTo("s8");

        // checked against the schema too: the key survives the check's wrapper
        JsonNode schema = Objects.requireNonNull(Blueprints.loader()
                        .validate("codec.yaml", blueprint(recipes, "recipe: log_sink"))
                        .orThrow()
                        .schemas()
                        .get("Reading"))
                .json();
        assertThat(text(KafkaCodecs.forEdge(edge(blueprint(recipes, "recipe: log_sink", ", key: sensor")), schema)
                        .key(reading)))
                .isEqualTo("boiler");
    }

    @Test
    void aKeyNeedsMessagesThatAreJsonObjects() {
        String names = """
                name: codec
                components:
                  - {name: a, class: %1$sTyped$Readings}
                  - {name: n, class: %1$sTyped$Names}
                  - {name: b, class: %1$sCollect}
                connections:
                  - {from: a.out_x, to: n.in_x}
                  - {from: n.out_x, to: b.in_x, transport: kafka, key: sensor}
                """.formatted(FIXTURES);
        BlueprintValidator.Edge strings = edge(names);
        assertThat(EdgeMessageTypes.messageType(strings)).isEqualTo(String.class);
        assertThat(KafkaCodecs.keyProblem(strings))
                .isEqualTo("key 'sensor' needs messages that are JSON objects, but connection n.out_x -> b.in_x"
                        + " carries java.lang.String messages, which have no fields");
        assertThat(KafkaCodecs.keyProblem(edge(blueprint(
                        "class: " + FIXTURES + "Typed$Readings", "class: " + FIXTURES + "Collect", ", key: sensor"))))
                .as("a record")
                .isNull();
        assertThat(KafkaCodecs.keyProblem(edge(blueprint(
                        "class: " + FIXTURES + "Numbers", "class: " + FIXTURES + "Collect", ", key: sensor"))))
                .as("Object: known message by message")
                .isNull();
        assertThat(KafkaCodecs.keyProblem(
                        edge(blueprint("recipe: generator, config: {rate: 1}", "recipe: log_sink", ", key: sensor"))))
                .isNull();
        assertThat(KafkaCodecs.keyProblem(edge(names.replace(", key: sensor", ""))))
                .as("no key")
                .isNull();

        // assembly reports it at the key, before Kafka is contacted (nothing listens on port 1)
        Blueprint b = Blueprints.loader()
                .validate(
                        "codec.yaml",
                        names.replace("name: codec", "name: codec\nkafka: {bootstrap_servers: \"127.0.0.1:1\"}"))
                .orThrow();
        assertThatThrownBy(
                        () -> Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer()))
                .isInstanceOfSatisfying(BlueprintException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    Problem p = e.problems().getFirst();
                    assertThat(p.position()).isEqualTo(new Position(9, 56));
                    assertThat(p.message()).startsWith("key 'sensor' needs messages that are JSON objects");
                    assertThat(p.hint())
                            .isEqualTo("send JSON objects (a record, a Map, a JsonMessage) over it, or remove key");
                });
    }

    @Test
    void whatAUserClassSendsToARecipeBecomesAJsonMessage() {
        BlueprintValidator.Edge e = edge(blueprint("class: " + FIXTURES + "Typed$Readings", "recipe: log_sink"));
        MessageCodec<Object> codec = KafkaCodecs.forEdge(e, null);
        RecordHeaders headers = new RecordHeaders();
        byte[] value = codec.encode(new Typed.Reading("boiler", 71.5), headers);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(
                "t",
                0,
                0,
                1000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0,
                value.length,
                null,
                value,
                headers,
                java.util.Optional.empty());
        Object decoded = codec.decode(record);
        assertThat(decoded).isInstanceOfSatisfying(JsonMessage.class, m -> {
            assertThat(m.fields()).containsEntry("sensor", "boiler").containsEntry("celsius", 71.5);
            assertThat(m.id()).isNotBlank();
        });
        ErrorEnvelope envelope = ErrorEnvelope.of("p", "c", "in_x", new IllegalStateException("boom"), "payload");
        assertThat(EdgeMessageTypes.asJsonMessage(envelope).fields()).containsEntry("message", "boom");
        assertThat(List.of(EdgeMessageTypes.asJsonMessage(envelope).ingestTime()))
                .containsExactly(envelope.time());
    }
}
