/**
 * The runtime's HTTP server ({@link dev.portflow.http.PortflowServer}, Helidon SE): the pipeline's ingress
 * endpoints ({@link dev.portflow.http.ApiEndpoint} around the server-independent
 * {@link dev.portflow.http.Ingress}), Prometheus and JSON metrics, health probes and the server extensions
 * ({@link dev.portflow.http.ServerExtension}, e.g. the dashboard). It exports its one package,
 * {@code dev.portflow.http}; its public types are the API (listed in {@code docs/api.md}), everything else
 * in it (the connection guard, the JSON body parser, the metrics and health JSON, the record decoder) is
 * package-private.
 */
module dev.portflow.http {
    // Source, OutputPort, JsonMessage, SchemaViolation, Pipeline, DrainReport and @Nullable in the API
    requires transitive dev.portflow.core;
    requires transitive org.jspecify;
    // Ingress.bindMeters takes a MeterRegistry (dev.portflow.core requires it transitively too)
    requires transitive micrometer.core;
    // IngressDecoder.decode and JsonSchemaDecoder.of take a JsonNode
    requires transitive tools.jackson.databind;
    // ServerExtension.routing takes Helidon's HttpRouting.Builder
    requires transitive io.helidon.webserver;
    requires dev.portflow.json;
    requires tools.jackson.core; // the streaming body parser
    requires io.helidon.common.task; // the connection guard's tasks (io.helidon.webserver does not pass it on)
    requires micrometer.registry.prometheus; // GET /metrics
    requires com.networknt.schema; // JSON Schema validation of ingress bodies

    exports dev.portflow.http;
}
