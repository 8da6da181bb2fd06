package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SleepTransformerTest {

    @Test
    void holdsEachMessageThenPassesItOn() throws Exception {
        TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
        JsonMessage[] messages = {TestSupport.json(1), TestSupport.json(2), TestSupport.json(3), TestSupport.json(4)};
        long start = System.nanoTime();
        Pipeline pipeline = run(Pipeline.builder("slow")
                .source("in", JsonMessage.class, TestSupport.source(messages))
                .transformer("slow", JsonMessage.class, JsonMessage.class, new SleepTransformer(new SleepConfig(30)))
                .sink("out", JsonMessage.class, out)
                .connect("in.out_x", "slow.in_x")
                .connect("slow.out_x", "out.in_x"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(out.received).containsExactly(messages);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(120);
        assertThat(pipeline.inputPort("slow", "in_x").metrics().avgProcessingMs())
                .isGreaterThanOrEqualTo(29.0);
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new SleepConfig(-1))
                .hasMessage("sleep: 'duration_ms' must be a whole number of milliseconds >= 0, was -1");
        assertThat(new SleepConfig(0).durationMs()).isZero();
    }
}
