/**
 * The live dashboard ({@link dev.portflow.dashboard.Dashboard}), a {@link dev.portflow.http.ServerExtension}
 * of the runtime's HTTP server: the pipeline as a graph with each buffer's fill, throughput, message age and
 * drops, the bottleneck and why, and 5-minute charts, fed over Server-Sent Events. It exports its one package,
 * {@code dev.portflow.dashboard}, whose only public type is {@code Dashboard}; the frames, samples and
 * topology it sends are package-private records, opened to Jackson, which writes them as the JSON that
 * {@code docs/dashboard.md} describes.
 */
module dev.portflow.dashboard {
    // Dashboard is a ServerExtension: routing(HttpRouting.Builder, Pipeline), started(PortflowServer)
    requires transitive dev.portflow.http;
    requires transitive dev.portflow.core;
    requires transitive io.helidon.webserver;
    requires dev.portflow.json;
    requires tools.jackson.databind;
    requires io.helidon.webserver.sse;

    exports dev.portflow.dashboard;

    // Jackson reads the package-private records (Frame, Topology, ...) it writes as JSON
    opens dev.portflow.dashboard to
            tools.jackson.databind;
}
