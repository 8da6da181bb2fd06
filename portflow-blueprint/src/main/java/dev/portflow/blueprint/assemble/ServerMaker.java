package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ServerSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.dashboard.Dashboard;
import dev.portflow.http.PortflowServer;
import dev.portflow.runtime.Pipeline;
import org.jspecify.annotations.Nullable;

/**
 * The last step of assembly: the runtime's HTTP server for the built pipeline, with the dashboard,
 * at the blueprint's address and with its limits ({@code server:}).
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps.
 */
public final class ServerMaker {

    private ServerMaker() {}

    /**
     * The runtime's server for {@code pipeline}, with the blueprint's address (or the one given) and
     * limits. Validation has checked what the blueprint says (paths, host, limits), so a failure here
     * comes from outside it, typically a host that does not resolve: a failure to start, added to
     * {@code state}, and then {@code null}.
     *
     * @param hostOverride the host instead of {@code server.host}, or {@code null}
     * @param portOverride the port instead of {@code server.port}, or {@code null}
     */
    public static @Nullable PortflowServer make(
            AssemblyState state, Pipeline pipeline, @Nullable String hostOverride, @Nullable Integer portOverride) {
        Blueprint blueprint = state.blueprint();
        ServerSpec spec = blueprint.server();
        String host = hostOverride != null ? hostOverride : spec.host();
        int port = portOverride != null ? portOverride : spec.port();
        PortflowServer.Builder builder =
                PortflowServer.builder(pipeline).host(host).port(port).extension(new Dashboard());
        if (spec.maxConnections() != null) {
            builder.maxConnections(spec.maxConnections());
        }
        if (spec.maxConcurrentRequests() != null) {
            builder.maxConcurrentRequests(spec.maxConcurrentRequests());
        }
        if (spec.maxHeaderBytes() != null) {
            builder.maxHeaderBytes(spec.maxHeaderBytes());
        }
        if (spec.idleTimeout() != null) {
            builder.idleTimeout(spec.idleTimeout());
        }
        if (spec.readTimeout() != null) {
            builder.readTimeout(spec.readTimeout());
        }
        try {
            return builder.build();
        } catch (RuntimeException e) {
            Position at = spec.positions().containsKey("host") && hostOverride == null
                    ? spec.position("host")
                    : spec.position();
            state.failure(
                    at,
                    "cannot start the server at " + host + ":" + port + ": " + ExceptionMessages.message(e),
                    "is " + host + " a name or address of this machine?",
                    e);
            return null;
        }
    }
}
