package dev.portflow.blueprint.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.Blueprints;
import dev.portflow.blueprint.fixtures.Typed;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.disk.DiskCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which codec a disk connection gets, from the blueprint alone, and where its data directory is. */
class DiskEndsTest {

    private static final String FIXTURES = "dev.portflow.blueprint.fixtures.";

    private static Blueprint load(String yaml) {
        return Blueprints.loader().validate("disk.yaml", yaml).orThrow();
    }

    private static BlueprintValidator.Edge edge(String from, String to) {
        Blueprint b = load("""
                name: codec
                components:
                  - {name: a, %s}
                  - {name: b, %s}
                connections:
                  - {from: a.out_x, to: b.in_x, transport: disk}
                """.formatted(from, to));
        SortedMap<String, Recipe> recipes = new TreeMap<>();
        Blueprints.loader().recipes().recipes().forEach(recipe -> recipes.put(recipe.name(), recipe));
        BlueprintValidator.Result r =
                BlueprintValidator.validate(b, recipes, Blueprints.loader().classLoader());
        return r.edges().stream().filter(e -> e.spec().isDisk()).findFirst().orElseThrow();
    }

    @Test
    void aRecipeAtEitherEndMeansJsonMessagesAndOtherMessagesAreMadeIntoOne() {
        DiskCodec<Object> codec = DiskEnds.codec(edge("class: " + FIXTURES + "Typed$Readings", "recipe: log_sink"));
        JsonMessage message = new JsonMessage(
                "m-1", Instant.parse("2026-01-02T03:04:05.123456789Z"), null, Map.of("sensor", "boiler"));
        assertThat(codec.decode(codec.encode(message))).isEqualTo(message);

        Object decoded = codec.decode(codec.encode(new Typed.Reading("boiler", 71.5)));
        assertThat(decoded).isInstanceOfSatisfying(JsonMessage.class, m -> {
            assertThat(m.fields()).containsEntry("sensor", "boiler").containsEntry("celsius", 71.5);
            assertThat(m.id()).isNotBlank();
        });
        ErrorEnvelope envelope = ErrorEnvelope.of("p", "c", "in_x", new IllegalStateException("boom"), "payload");
        assertThat(codec.decode(codec.encode(envelope)))
                .isInstanceOfSatisfying(
                        JsonMessage.class, m -> assertThat(m.fields()).containsEntry("message", "boom"));
    }

    @Test
    void userClassesAtBothEndsUseThePortsType() {
        DiskCodec<Object> codec =
                DiskEnds.codec(edge("class: " + FIXTURES + "Typed$Readings", "class: " + FIXTURES + "Collect"));
        assertThat(codec.type()).isEqualTo(Typed.Reading.class);
        assertThat(codec.decode(codec.encode(new Typed.Reading("boiler", 71.5))))
                .isEqualTo(new Typed.Reading("boiler", 71.5));
        assertThat(DiskEnds.codec(edge("class: " + FIXTURES + "Numbers", "class: " + FIXTURES + "Collect"))
                        .type())
                .isEqualTo(Object.class);
    }

    @Test
    void theDataDirectoryIsTheOverrideElseDataDirElseTheDefaultAgainstTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        Blueprint without = load("""
                name: orders
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: disk}
                """);
        Blueprint relative = load("""
                name: orders
                data_dir: ./logs/orders
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: disk}
                """);
        assertThat(DiskEnds.dataDirectory(without, "orders", null)).isEqualTo(cwd.resolve("portflow-data/orders"));
        assertThat(DiskEnds.dataDirectory(relative, "orders", null)).isEqualTo(cwd.resolve("logs/orders"));
        assertThat(DiskEnds.dataDirectory(relative, "orders", Path.of("elsewhere")))
                .isEqualTo(cwd.resolve("elsewhere"));
        assertThat(DiskEnds.dataDirectory(relative, "orders", Path.of("/var/lib/portflow")))
                .isEqualTo(Path.of("/var/lib/portflow"));
    }
}
