package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class GeneratorSourceTest {

    private static TestSupport.Capture<JsonMessage> generate(GeneratorConfig config) throws InterruptedException {
        TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
        run(Pipeline.builder("gen")
                .source("gen", JsonMessage.class, new GeneratorSource(config))
                .sink("out", JsonMessage.class, out)
                .connect("gen.out_events", "out.in_events"));
        return out;
    }

    @Test
    void emitsCountMessagesFromTheTemplateThenEnds() throws Exception {
        Instant before = Instant.now();
        TestSupport.Capture<JsonMessage> out = generate(new GeneratorConfig(
                10_000,
                5L,
                obj(
                        "seq",
                        "${seq}",
                        "name",
                        "order-${seq}",
                        "ref",
                        "${uuid}",
                        "at",
                        "${now}",
                        "fixed",
                        7,
                        "nested",
                        obj("list", List.of("${seq}", true)))));

        assertThat(out.received).hasSize(5);
        assertThat(out.flushed).isTrue();
        Set<String> ids = new HashSet<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            JsonMessage m = out.received.get(i);
            Map<String, Object> f = m.fields();
            assertThat(f.get("seq")).isEqualTo((long) i);
            assertThat(f.get("name")).isEqualTo("order-" + i);
            assertThat(UUID.fromString((String) f.get("ref"))).isNotNull();
            assertThat(Instant.parse((String) f.get("at"))).isBetween(before, Instant.now());
            assertThat(f.get("fixed")).isEqualTo(7);
            assertThat(f.get("nested")).isEqualTo(obj("list", List.of((long) i, true)));
            assertThat(m.declaredEventTime()).isNull();
            ids.add(m.id());
            refs.add((String) f.get("ref"));
        }
        assertThat(ids).hasSize(5);
        assertThat(refs).hasSize(5);
    }

    @Test
    void templateAsJsonTextAndEventTime() throws Exception {
        TestSupport.Capture<JsonMessage> out =
                generate(new GeneratorConfig(1000, 2L, "{\"n\": \"${seq}\", \"event_time\": \"${now}\"}"));
        assertThat(out.received).hasSize(2);
        JsonMessage first = out.received.get(0);
        assertThat(first.declaredEventTime())
                .isEqualTo(Instant.parse((String) first.fields().get("event_time")));
        assertThat(first.eventTime()).isEqualTo(first.declaredEventTime());
    }

    @Test
    void defaultTemplateAndZeroCount() throws Exception {
        assertThat(generate(new GeneratorConfig(1000, 2L, (Map<String, Object>) null))
                        .bodies())
                .containsExactly(obj("seq", 0L), obj("seq", 1L));
        assertThat(generate(new GeneratorConfig(1000, 0L, (Map<String, Object>) null)).received)
                .isEmpty();
    }

    @Test
    void keepsTheRate() throws Exception {
        long start = System.nanoTime();
        TestSupport.Capture<JsonMessage> out = generate(new GeneratorConfig(50, 11L, (Map<String, Object>) null));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(out.received).hasSize(11);
        // 10 intervals of 20 ms: never faster than the rate (no upper bound: the machine may be slow).
        assertThat(elapsedMs).isGreaterThanOrEqualTo(190);
    }

    @Test
    void withoutCountRunsUntilDrained() throws Exception {
        TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
        Pipeline pipeline = Pipeline.builder("endless")
                .source("gen", JsonMessage.class, new GeneratorSource(new GeneratorConfig(200, null, (String) null)))
                .sink("out", JsonMessage.class, out)
                .connect("gen.out_events", "out.in_events")
                .build()
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> out.received.size() >= 3);
        DrainReport report = pipeline.drain(Duration.ofSeconds(5));
        assertThat(report.completed()).isTrue();
        int n = out.received.size();
        assertThat(out.received.get(n - 1).fields().get("seq")).isEqualTo((long) n - 1);
    }

    @Test
    void badConfigurationsNameTheKey() {
        assertThatThrownBy(() -> new GeneratorConfig(0, null, (String) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("generator: 'rate' must be a number of messages per second > 0, was 0.0");
        assertThatThrownBy(() -> new GeneratorConfig(Double.NaN, null, (String) null))
                .hasMessageContaining("'rate' must be a number of messages per second > 0");
        assertThatThrownBy(() -> new GeneratorConfig(1, -1L, (String) null))
                .hasMessage("generator: 'count' must be a whole number >= 0 (or absent for no end), was -1");
        assertThatThrownBy(() -> new GeneratorConfig(1, null, obj("a", obj("b", "x-${sequence}"))))
                .hasMessage("generator: 'template' field 'a.b' uses the unknown placeholder ${sequence};"
                        + " accepted placeholders: ${seq}, ${uuid}, ${now}");
        assertThatThrownBy(() -> new GeneratorConfig(1, null, "[1, 2]"))
                .hasMessage("generator: 'template' must be a JSON object, was \"[1, 2]\"");
        assertThatThrownBy(() -> new GeneratorConfig(1, null, "{oops"))
                .hasMessageStartingWith("generator: 'template' must be a JSON object, but the text is not valid JSON");
        assertThatThrownBy(() -> new GeneratorConfig(1, null, obj("event_time", "yesterday")))
                .hasMessageContaining("'template' field 'event_time' must be an ISO-8601 date-time");
    }

    @Test
    void theRecipeMakesItsConfigFromTheBlueprintsValues(@TempDir Path dir) throws Exception {
        GeneratorConfig a = ((GeneratorSource) DeclaredRecipes.create(
                        "generator", Map.of("rate", 5L, "count", 10L, "template", Map.of("x", "${uuid}")), dir))
                .config();
        assertThat(a.rate()).isEqualTo(5.0);
        assertThat(a.count()).isEqualTo(10L);
        assertThat(a.template()).isEqualTo(Map.of("x", "${uuid}"));
        GeneratorConfig b = new GeneratorConfig(0.5, null, "{\"x\": 1}");
        assertThat(b.template()).isEqualTo(Map.of("x", 1));
        assertThat(b.count()).isNull();
    }
}
