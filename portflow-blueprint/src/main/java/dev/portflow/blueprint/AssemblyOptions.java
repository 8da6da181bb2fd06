package dev.portflow.blueprint;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;

/**
 * How a blueprint becomes a running pipeline. Every option has a default:
 * {@code AssemblyOptions.defaults().port(0).dataDirectory(dir)}.
 *
 * @param meterRegistry the registry for the pipeline's meters; {@code null}: a new one
 * @param dataDirectory where recipes keep files; {@code null}: {@code <blueprint directory>/data}
 * @param server        whether to build the runtime's HTTP server (metrics, health, ingress)
 * @param host          overrides {@code server.host}; {@code null}: the blueprint's
 * @param port          overrides {@code server.port} (0: a free port); {@code null}: the blueprint's
 */
public record AssemblyOptions(PrometheusMeterRegistry meterRegistry, Path dataDirectory, boolean server, String host,
        Integer port) {

    public AssemblyOptions {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
    }

    /** A new registry, {@code <blueprint directory>/data}, a server at the blueprint's address. */
    public static AssemblyOptions defaults() {
        return new AssemblyOptions(null, null, true, null, null);
    }

    public AssemblyOptions meterRegistry(PrometheusMeterRegistry registry) {
        return new AssemblyOptions(registry, dataDirectory, server, host, port);
    }

    public AssemblyOptions dataDirectory(Path directory) {
        return new AssemblyOptions(meterRegistry, directory, server, host, port);
    }

    /** No HTTP server: the pipeline alone (api_endpoint components then answer nothing). */
    public AssemblyOptions withoutServer() {
        return new AssemblyOptions(meterRegistry, dataDirectory, false, host, port);
    }

    public AssemblyOptions host(String newHost) {
        return new AssemblyOptions(meterRegistry, dataDirectory, server, newHost, port);
    }

    public AssemblyOptions port(int newPort) {
        return new AssemblyOptions(meterRegistry, dataDirectory, server, host, newPort);
    }
}
