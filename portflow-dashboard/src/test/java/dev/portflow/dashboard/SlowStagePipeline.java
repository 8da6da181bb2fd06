package dev.portflow.dashboard;

import dev.portflow.component.Transformer;
import dev.portflow.http.PortflowServer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.Workers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real pipeline with a deliberately slow middle stage behind a real server with the dashboard:
 * {@code gen -> parse -> slow -> store}. The generator offers {@code ratePerSecond}; {@code slow}
 * takes {@code slowMillis} per message, so its input buffer ({@code parse.out_events ->
 * slow.in_events}, {@code capacity} slots) fills at the difference.
 */
public final class SlowStagePipeline implements AutoCloseable {

    public static final String SLOW_INPUT = "parse.out_events->slow.in_events";

    public final Pipeline pipeline;
    public final Dashboard dashboard;
    public final PortflowServer server;
    public final AtomicLong stored = new AtomicLong();

    public SlowStagePipeline(int ratePerSecond, long slowMillis, int capacity, Duration interval) {
        this(ratePerSecond, slowMillis, capacity, interval, 0);
    }

    /** As above, the server on {@code port} (0: any free port). */
    public SlowStagePipeline(int ratePerSecond, long slowMillis, int capacity, Duration interval, int port) {
        this(ratePerSecond, slowMillis, capacity, interval, port, Workers.one());
    }

    /** As above, {@code slow} on {@code slowWorkers} (it serves {@code workers * 1000 / slowMillis} per second). */
    public SlowStagePipeline(
            int ratePerSecond, long slowMillis, int capacity, Duration interval, int port, Workers slowWorkers) {
        long pauseNanos = 1_000_000_000L / ratePerSecond;
        pipeline = Pipeline.builder("slow_stage")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("gen", Long.class, context -> {
                    long seq = 0;
                    while (context.isRunning()) {
                        context.emit(seq++);
                        if (!context.pause(Duration.ofNanos(pauseNanos))) {
                            return;
                        }
                    }
                })
                .transformer("parse", Long.class, Long.class, Transformer.map(x -> x * 2))
                .transformer("slow", Long.class, Long.class, (Long x, dev.portflow.component.Emitter<Long> out) -> {
                    Thread.sleep(slowMillis);
                    out.emit(x);
                })
                .sink("store", Long.class, x -> stored.incrementAndGet())
                .workers("slow", slowWorkers)
                // small buffers before the slow stage keep the drain at close short
                .connect(
                        "gen.out_events",
                        "parse.in_events",
                        ConnectionOptions.defaults().capacity(16))
                .connect(
                        "parse.out_events",
                        "slow.in_events",
                        ConnectionOptions.defaults().capacity(capacity).overflow(OverflowPolicy.BLOCK))
                .connect("slow.out_events", "store.in_events")
                .build();
        dashboard = new Dashboard(interval, 300);
        server =
                PortflowServer.builder(pipeline).port(port).extension(dashboard).build();
    }

    public SlowStagePipeline start() {
        server.start();
        return this;
    }

    public String baseUri() {
        return server.baseUri();
    }

    @Override
    public void close() {
        server.close();
    }
}
