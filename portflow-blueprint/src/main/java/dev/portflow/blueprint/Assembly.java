package dev.portflow.blueprint;

import dev.portflow.blueprint.assemble.OtlpExport;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.disk.DiskTransport;
import dev.portflow.http.PortflowServer;
import dev.portflow.kafka.KafkaTransport;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A blueprint built into a pipeline (not started) and, unless turned off, the runtime's HTTP
 * server for it: the live dashboard at {@code /}, {@code /metrics}, {@code /metrics.json},
 * {@code /health/*} and one route per {@code api_endpoint}; with Kafka connections, the process's
 * Kafka client, and with disk connections, the process's data directory (locked while it runs), both
 * closed once the pipeline has drained; with {@link AssemblyOptions#otlpMetrics(OtlpMetricsSettings)}, the OTLP
 * registry its meters are pushed through, which pushes once more when it is closed, last.
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
    private final @Nullable PortflowServer server;
    private final @Nullable KafkaTransport kafka;
    private final @Nullable DiskTransport disk;
    private final @Nullable OtlpExport otlp;
    private final @Nullable List<String> only;
    private final AtomicBoolean kafkaClosed = new AtomicBoolean();
    private final AtomicBoolean diskClosed = new AtomicBoolean();
    private final AtomicBoolean otlpClosed = new AtomicBoolean();
    private volatile boolean started;
    private @Nullable DrainReport drained;

    Assembly(
            Blueprint blueprint,
            Pipeline pipeline,
            PrometheusMeterRegistry registry,
            @Nullable PortflowServer server,
            @Nullable KafkaTransport kafka,
            @Nullable DiskTransport disk,
            @Nullable OtlpExport otlp,
            @Nullable List<String> only) {
        this.blueprint = blueprint;
        this.pipeline = pipeline;
        this.registry = registry;
        this.server = server;
        this.kafka = kafka;
        this.disk = disk;
        this.otlp = otlp;
        this.only = only;
    }

    public Blueprint blueprint() {
        return blueprint;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * The Prometheus registry {@code GET /metrics} renders. Without OTLP it is the pipeline's registry; with
     * {@link AssemblyOptions#otlpMetrics(OtlpMetricsSettings)}, {@code pipeline().meterRegistry()} is a {@code
     * CompositeMeterRegistry} of this and the OTLP registry: register meters there, so that both have them.
     */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * Where and how often the meters are pushed over OTLP, as resolved (the step is the environment's or the default
     * when the options gave none), when assembled with {@link AssemblyOptions#otlpMetrics(OtlpMetricsSettings)}.
     */
    public Optional<OtlpMetricsSettings> otlpMetrics() {
        return otlp == null ? Optional.empty() : Optional.of(new OtlpMetricsSettings(otlp.url(), otlp.step()));
    }

    /** The {@code service.name} the OTLP export's resource carries, when there is one. */
    public Optional<String> otlpServiceName() {
        return otlp == null ? Optional.empty() : Optional.of(otlp.serviceName());
    }

    /** The OTLP export, for this package's tests. */
    @Nullable
    OtlpExport otlpExport() {
        return otlp;
    }

    /** The server, unless assembled {@link AssemblyOptions#withoutServer() without} one. */
    public Optional<PortflowServer> server() {
        return Optional.ofNullable(server);
    }

    /** Whether the pipeline has a Kafka connection end in this process (then it holds a Kafka client). */
    public boolean usesKafka() {
        return kafka != null;
    }

    /**
     * The data directory holding the logs of the pipeline's disk connections, when one runs in this
     * process (the process holds its lock until drained): {@code --data-dir}, else the blueprint's
     * {@code data_dir}, else {@code portflow-data/<pipeline>}; absolute.
     */
    public Optional<Path> diskDataDirectory() {
        return disk == null ? Optional.empty() : Optional.of(disk.settings().dataDirectory());
    }

    /**
     * The blueprint's components that run in this process, in file order: all of them unless
     * assembled with {@link AssemblyOptions#only(List)}. (The pipeline also holds one Kafka
     * receiver, {@code kafka_in_<component>_<port>}, per Kafka connection received here, and one disk
     * receiver, {@code disk_in_<component>_<port>}, per disk connection.)
     */
    public List<String> componentsHere() {
        return blueprint.components().stream()
                .map(ComponentSpec::name)
                .filter(name -> name != null && (only == null || only.contains(name)))
                .toList();
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
     * out to the sinks within {@code timeout}; then the server stops, and then the Kafka client is
     * closed (what the receivers have not read stays in its topic, for the next run), the data
     * directory released (what is not done with stays in its logs, for the next run) and the OTLP
     * export closed, which pushes the meters' final values (waiting for the endpoint up to Micrometer's
     * connect and read timeouts, 1 s and 10 s). Later calls return the first call's report.
     */
    public synchronized DrainReport drainAndStop(Duration timeout) {
        if (drained != null) {
            return drained;
        }
        try {
            drained = server != null ? server.drainAndStop(timeout) : pipeline.drain(timeout);
            return drained;
        } finally {
            release();
        }
    }

    /**
     * Drains for up to 30 s and stops, if started; else releases the Kafka client, the data directory and the
     * OTLP export, if any.
     */
    @Override
    public void close() {
        if (started || pipeline.state() != PipelineState.NEW) {
            drainAndStop(DEFAULT_DRAIN);
        } else {
            release();
        }
    }

    private void release() {
        try {
            closeKafka();
        } finally {
            try {
                closeDisk();
            } finally {
                closeOtlp();
            }
        }
    }

    private void closeOtlp() {
        if (otlp != null && otlpClosed.compareAndSet(false, true)) {
            otlp.close(); // after everything else: the final push has the drain's counts
        }
    }

    private void closeKafka() {
        if (kafka != null && kafkaClosed.compareAndSet(false, true)) {
            kafka.close();
        }
    }

    private void closeDisk() {
        if (disk != null && diskClosed.compareAndSet(false, true)) {
            disk.close();
        }
    }
}
