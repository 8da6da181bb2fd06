package dev.portflow.trace;

import dev.portflow.component.Emitter;
import dev.portflow.component.SourceContext;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import java.time.Instant;
import java.util.Map;

/**
 * The sending side of the edge trace tests (Kafka, disk): sources {@code traced} and {@code plain}
 * each emit five {@link JsonMessage}s ({@code t-0} .. {@code t-4}, {@code p-0} .. {@code p-4}) into
 * {@code map.in_orders}, a pass-through whose {@code map.out_orders} the test connects to its edge.
 * {@link #sampler()} traces what {@code traced} emits and nothing else.
 */
public final class TracedAndPlain {

    /** Messages each source emits. */
    public static final int PER_SOURCE = 5;

    private TracedAndPlain() {}

    /** A recording tracer that samples the entries of {@code traced} only and never traces late. */
    public static RecordingTracing sampler() {
        return new RecordingTracing(source -> source.equals("traced"), Long.MAX_VALUE);
    }

    /** Pipeline {@code name} traced by {@code tracer}, up to {@code map}; {@code map.out_orders} left open. */
    public static PipelineBuilder throughMap(String name, Tracing tracer) {
        return Pipeline.builder(name)
                .tracing(tracer)
                .source("traced", JsonMessage.class, context -> emit(context, "t"))
                .source("plain", JsonMessage.class, context -> emit(context, "p"))
                .transformer(
                        "map",
                        JsonMessage.class,
                        JsonMessage.class,
                        (JsonMessage m, Emitter<JsonMessage> out) -> out.emit(m))
                .connect("traced.out_orders", "map.in_orders")
                .connect("plain.out_orders", "map.in_orders");
    }

    private static void emit(SourceContext<JsonMessage> context, String prefix) throws InterruptedException {
        for (int i = 0; i < PER_SOURCE; i++) {
            context.emit(new JsonMessage(prefix + "-" + i, Instant.now(), null, Map.of("n", i)));
        }
    }
}
