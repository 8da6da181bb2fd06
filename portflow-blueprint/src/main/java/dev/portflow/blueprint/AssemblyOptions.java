package dev.portflow.blueprint;

import dev.portflow.kafka.KafkaSettings;
import dev.portflow.trace.Tracing;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How a blueprint becomes a running pipeline. Every option has a default:
 * {@code AssemblyOptions.defaults().port(0).dataDirectory(dir).only(List.of("api", "enrich"))}.
 *
 * @param meterRegistry the registry for the pipeline's meters, which {@code /metrics} renders ({@code null}: a new
 *                      one); with {@code otlpMetrics}, a member of the pipeline's composite registry
 * @param dataDirectory where recipes keep files; {@code null}: {@code <blueprint directory>/data}
 * @param server        whether to build the runtime's HTTP server (metrics, health, ingress)
 * @param host          overrides {@code server.host}; {@code null}: the blueprint's
 * @param port          overrides {@code server.port} (0: a free port); {@code null}: the blueprint's
 * @param only          the components to build and run in this process ({@code --only}); {@code null}
 *                      or empty: all of them. A connection between one of them and another component
 *                      must be {@code transport: kafka}
 * @param environment   where {@code PORTFLOW_KAFKA_BOOTSTRAP} is looked up; {@code null}: the process's
 * @param diskDirectory where {@code transport: disk} connections keep their logs ({@code --data-dir}),
 *                      overriding the blueprint's {@code data_dir}; {@code null}: {@code data_dir}, else
 *                      {@code portflow-data/<pipeline>} (relative to the working directory). Not the
 *                      recipes' {@code dataDirectory}
 * @param instanceId    this process's instance id among the processes running the same components
 *                      ({@code --instance-id}); {@code null}: {@code PORTFLOW_INSTANCE_ID} in the
 *                      environment, else none. Its Kafka consumers join their groups as static members;
 *                      given here, it is also the OTLP metrics' {@code service.instance.id}, unless
 *                      {@code OTEL_RESOURCE_ATTRIBUTES} names one
 * @param tracing       traces the pipeline's messages (docs/tracing.md); {@code null}: none
 * @param otlpMetrics   pushes the pipeline's meters over OTLP too (docs/metrics-export.md); {@code null}: only
 *                      {@code GET /metrics}
 */
public record AssemblyOptions(
        @Nullable PrometheusMeterRegistry meterRegistry,
        @Nullable Path dataDirectory,
        boolean server,
        @Nullable String host,
        @Nullable Integer port,
        @Nullable List<String> only,
        @Nullable Map<String, String> environment,
        @Nullable Path diskDirectory,
        @Nullable String instanceId,
        @Nullable Tracing tracing,
        @Nullable OtlpMetricsSettings otlpMetrics) {

    public AssemblyOptions {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        only = only == null || only.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(only));
        environment = environment == null ? null : Map.copyOf(environment);
        if (instanceId != null) {
            KafkaSettings.requireInstanceId(instanceId);
        }
    }

    /** A new registry, {@code <blueprint directory>/data}, a server at the blueprint's address, every component. */
    public static AssemblyOptions defaults() {
        return new AssemblyOptions(null, null, true, null, null, null, null, null, null, null, null);
    }

    public AssemblyOptions meterRegistry(PrometheusMeterRegistry registry) {
        return with(copy -> copy.meterRegistry = registry);
    }

    public AssemblyOptions dataDirectory(Path directory) {
        return with(copy -> copy.dataDirectory = directory);
    }

    /** No HTTP server: the pipeline alone (api_endpoint components then answer nothing). */
    public AssemblyOptions withoutServer() {
        return with(copy -> copy.server = false);
    }

    public AssemblyOptions host(String newHost) {
        return with(copy -> copy.host = newHost);
    }

    public AssemblyOptions port(int newPort) {
        return with(copy -> copy.port = newPort);
    }

    /** Builds and runs only {@code components} (duplicates ignored; {@code null} or empty: all). */
    public AssemblyOptions only(@Nullable List<String> components) {
        return with(copy -> copy.only = components);
    }

    /** Builds and runs only {@code components}. */
    public AssemblyOptions only(String... components) {
        return only(List.of(components));
    }

    /** The environment variables to read instead of the process's (e.g. {@code PORTFLOW_KAFKA_BOOTSTRAP}). */
    public AssemblyOptions environment(Map<String, String> variables) {
        return with(copy -> copy.environment = variables);
    }

    /**
     * Keeps the logs of the {@code transport: disk} connections in {@code directory} ({@code --data-dir}),
     * whatever the blueprint's {@code data_dir} says; relative to the working directory.
     */
    public AssemblyOptions diskDirectory(Path directory) {
        return with(copy -> copy.diskDirectory = directory);
    }

    /**
     * This process's instance id ({@code --instance-id}): its Kafka consumers join their groups as
     * static members, so a restart with the same id gets the same partitions back at once. Processes
     * that run the same components need different ids.
     *
     * @throws IllegalArgumentException if {@code id} is not 1 to 200 of a-z A-Z 0-9 . _ -
     */
    public AssemblyOptions instanceId(@Nullable String id) {
        return with(copy -> copy.instanceId = id);
    }

    /**
     * Traces the pipeline's messages with {@code newTracing} (docs/tracing.md), e.g. {@code portflow-tracing}'s
     * {@code OpenTelemetryTracing}, which the blueprint's {@code tracing:} section configures in {@code portflow
     * run}; {@code null}: no tracing (the default). The caller keeps it, and closes it after the pipeline
     * drained.
     */
    public AssemblyOptions tracing(@Nullable Tracing newTracing) {
        return with(copy -> copy.tracing = newTracing);
    }

    /**
     * Pushes the pipeline's meters over OTLP as well ({@code newSettings}; docs/metrics-export.md), which
     * {@code portflow run} sets from the blueprint's {@code metrics:} section and the {@code OTEL_*} environment
     * variables; {@code null}: none (the default), only {@code GET /metrics}. The {@link Assembly} owns the OTLP
     * registry: it pushes once more after the drain, when it closes it.
     */
    public AssemblyOptions otlpMetrics(@Nullable OtlpMetricsSettings newSettings) {
        return with(copy -> copy.otlpMetrics = newSettings);
    }

    /** These options with one changed by {@code change} (on a mutable copy), checked again as new ones. */
    private AssemblyOptions with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return new AssemblyOptions(
                copy.meterRegistry,
                copy.dataDirectory,
                copy.server,
                copy.host,
                copy.port,
                copy.only,
                copy.environment,
                copy.diskDirectory,
                copy.instanceId,
                copy.tracing,
                copy.otlpMetrics);
    }

    /** The components of an {@code AssemblyOptions}, one of which a wither changes: one constructor call for all of them. */
    private static final class Copy {
        @Nullable
        PrometheusMeterRegistry meterRegistry;

        @Nullable
        Path dataDirectory;

        boolean server;

        @Nullable
        String host;

        @Nullable
        Integer port;

        @Nullable
        List<String> only;

        @Nullable
        Map<String, String> environment;

        @Nullable
        Path diskDirectory;

        @Nullable
        String instanceId;

        @Nullable
        Tracing tracing;

        @Nullable
        OtlpMetricsSettings otlpMetrics;

        Copy(AssemblyOptions o) {
            meterRegistry = o.meterRegistry;
            dataDirectory = o.dataDirectory;
            server = o.server;
            host = o.host;
            port = o.port;
            only = o.only;
            environment = o.environment;
            diskDirectory = o.diskDirectory;
            instanceId = o.instanceId;
            tracing = o.tracing;
            otlpMetrics = o.otlpMetrics;
        }
    }

    /** Whether {@code component} is built and run in this process. */
    public boolean runsHere(String component) {
        return only == null || only.contains(component);
    }
}
