package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FairMergerTest {

    @Test
    void mergesEveryInputUnchanged() throws Exception {
        TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
        run(Pipeline.builder("merge")
                .source(
                        "a",
                        JsonMessage.class,
                        new GeneratorSource(new GeneratorConfig(100_000, 200L, Map.of("from", "a", "n", "${seq}"))))
                .source(
                        "b",
                        JsonMessage.class,
                        new GeneratorSource(new GeneratorConfig(100_000, 50L, Map.of("from", "b", "n", "${seq}"))))
                .merger("all", new FairMerger())
                .sink("out", JsonMessage.class, out)
                .connect("a.out_events", "all.in_a")
                .connect("b.out_events", "all.in_b")
                .connect("all.out_events", "out.in_events"));

        assertThat(out.received).hasSize(250);
        for (String from : List.of("a", "b")) {
            List<Object> ns = out.received.stream()
                    .map(JsonMessage::fields)
                    .filter(f -> from.equals(f.get("from")))
                    .map(f -> f.get("n"))
                    .toList();
            assertThat(ns)
                    .as("messages from %s, in order", from)
                    .isEqualTo(java.util.stream.LongStream.range(0, from.equals("a") ? 200 : 50)
                            .boxed()
                            .toList());
        }
    }

    @Test
    void takesNoConfiguration() {
        assertThat(DeclaredRecipes.named("merge").configKeys()).isEmpty();
    }
}
