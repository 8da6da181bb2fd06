package dev.portflow.blueprint;

import dev.portflow.http.PortflowServer;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * A blueprint built into a pipeline (not started) and, unless turned off, the runtime's HTTP
 * server for it: the live dashboard at {@code /}, {@code /metrics}, {@code /metrics.json},
 * {@code /health/*} and one route per {@code api_endpoint}.
 *
 * <pre>{@code
 * try (Assembly running = Blueprints.assemble(Blueprints.load(file), AssemblyOptions.defaults()).start()) {
 *     ...                                   // until Ctrl-C
 *     running.drainAndStop(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class Assembly implements AutoCloseable {

    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    private final Blueprint blueprint;
    private final Pipeline pipeline;
    private final PrometheusMeterRegistry registry;
    private final PortflowServer server;
    private volatile boolean started;

    Assembly(Blueprint blueprint, Pipeline pipeline, PrometheusMeterRegistry registry, PortflowServer server) {
        this.blueprint = blueprint;
        this.pipeline = pipeline;
        this.registry = registry;
        this.server = server;
    }

    public Blueprint blueprint() {
        return blueprint;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The server, unless assembled {@link AssemblyOptions#withoutServer() without} one. */
    public Optional<PortflowServer> server() {
        return Optional.ofNullable(server);
    }

    /** Starts the server (which starts the pipeline), or the pipeline alone. */
    public Assembly start() {
        started = true;
        if (server != null) {
            server.start();
        } else {
            pipeline.start();
        }
        return this;
    }

    /**
     * Drains: ingress answers 503 {@code shutting_down}, readiness 503, sources stop, buffers flow
     * out to the sinks within {@code timeout}; then the server stops.
     */
    public DrainReport drainAndStop(Duration timeout) {
        return server != null ? server.drainAndStop(timeout) : pipeline.drain(timeout);
    }

    /** Drains for up to 30 s and stops, if started; else nothing. */
    @Override
    public void close() {
        if (started || pipeline.state() != PipelineState.NEW) {
            drainAndStop(DEFAULT_DRAIN);
        }
    }
}
