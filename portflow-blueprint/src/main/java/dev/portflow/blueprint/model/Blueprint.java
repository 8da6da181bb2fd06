package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed blueprint: the immutable model of one YAML file, every element with its position.
 *
 * <pre>{@code
 * name: orders
 * server: {host: 127.0.0.1, port: 8080}
 * schemas: {Order: {type: object, required: [id]}}
 * components:
 *   - {name: api, recipe: api_endpoint, config: {path: /orders}, outputs: [{name: out_requests, schema: Order}]}
 *   - {name: log, recipe: log_sink}
 * connections:
 *   - {from: api.out_requests, to: log.in_orders, buffer_size: 1024, overflow: block_with_timeout}
 * tracing: {sample_ratio: 0.01, slow_ms: 500}
 * metrics: {otlp_endpoint: "http://collector:4318/v1/metrics", step_s: 10}
 * }</pre>
 *
 * @param file        the file name used in problems
 * @param path        the file, or {@code null} when parsed from text
 * @param name        the pipeline's name ({@code null} only in a model that has problems)
 * @param server      the server section, or the defaults ({@code 127.0.0.1:8080})
 * @param schemas     JSON Schemas by name, in file order
 * @param components  the components, in file order
 * @param connections the connections, in file order
 * @param kafka       the {@code kafka} section, or {@code null}
 * @param dataDir     {@code data_dir} as written: where {@code transport: disk} connections keep their logs
 *                    (relative to the working directory), or {@code null}
 * @param tracing     the {@code tracing} section, or {@code null}: the blueprint asks for no traces
 * @param metrics     the {@code metrics} section, or {@code null}: the blueprint asks for no OTLP export of its
 *                    meters ({@code GET /metrics} serves them either way)
 * @param position    where the document starts
 * @param positions   where each top-level key's value starts
 */
public record Blueprint(
        String file,
        @Nullable Path path,
        @Nullable String name,
        ServerSpec server,
        Map<String, SchemaSpec> schemas,
        List<ComponentSpec> components,
        List<ConnectionSpec> connections,
        @Nullable KafkaSpec kafka,
        @Nullable String dataDir,
        @Nullable TracingSpec tracing,
        @Nullable MetricsSpec metrics,
        Position position,
        Map<String, Position> positions) {

    public Blueprint {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(server, "server");
        schemas = Positions.ordered(schemas);
        components = List.copyOf(components);
        connections = List.copyOf(connections);
        positions = Positions.copy(positions);
    }

    /** The component named {@code componentName}, if declared. */
    public Optional<ComponentSpec> component(String componentName) {
        return components.stream()
                .filter(c -> Objects.equals(c.name(), componentName))
                .findFirst();
    }

    /** Where the value of top-level key {@code key} starts, else where the document starts. */
    public Position position(String key) {
        return positions.getOrDefault(key, position);
    }

    /** The directory relative paths of the blueprint are resolved against: the file's, else the working directory. */
    public Path directory() {
        Path parent = path == null ? null : path.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }
}
