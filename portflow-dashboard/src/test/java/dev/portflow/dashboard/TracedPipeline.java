package dev.portflow.dashboard;

import dev.portflow.component.Emitter;
import dev.portflow.http.PortflowServer;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import dev.portflow.trace.RecordingTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * A real pipeline behind a real server with the dashboard, traced (every message) or not: {@code gen ->
 * work -> store}, with {@code work}'s failures going to {@code dead}. {@code gen} emits the messages 0 to
 * {@link #MESSAGES} - 1 at once, then idles until the pipeline stops; {@code work}, the slow stage, takes
 * 10 ms x n for message n and fails message {@link #FAILING}. Each message waits behind the ones before
 * it, so the later a message, the slower its trace: message 7's is the slowest (about 240 ms).
 */
final class TracedPipeline implements AutoCloseable {

    static final int MESSAGES = 8;
    static final int FAILING = 4;
    /** How long {@code work} takes for the last message, the slowest trace's handling there. */
    static final long SLOWEST_HANDLING_MS = 10L * (MESSAGES - 1);

    final Pipeline pipeline;
    final Dashboard dashboard = new Dashboard(Duration.ofMillis(200), 100);
    final PortflowServer server;

    TracedPipeline(boolean traced) {
        PipelineBuilder builder = Pipeline.builder(traced ? "traced" : "untraced")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        if (traced) {
            builder.tracing(new RecordingTracing(source -> true, Long.MAX_VALUE));
        }
        pipeline = builder.source("gen", Integer.class, context -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        context.emit(i);
                    }
                    boolean running = true;
                    while (running) { // idle: the pipeline stays RUNNING for the page
                        running = context.pause(Duration.ofMillis(50));
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer n, Emitter<Integer> out) -> {
                    if (n == FAILING) {
                        throw new IllegalStateException("message " + n + " fails");
                    }
                    Thread.sleep(10L * n);
                    out.emit(n);
                })
                .sink("store", Integer.class, n -> {})
                .sink("dead", ErrorEnvelope.class, e -> {})
                .connect("gen.out_n", "work.in_n")
                .connect("work.out_n", "store.in_n")
                .connect("work.err_n", "dead.in_errors")
                .build();
        server = PortflowServer.builder(pipeline).port(0).extension(dashboard).build();
    }

    TracedPipeline start() {
        server.start();
        return this;
    }

    String baseUri() {
        return server.baseUri();
    }

    @Override
    public void close() {
        server.close();
    }
}
