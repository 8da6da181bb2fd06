package dev.portflow.http;

import dev.portflow.runtime.Pipeline;
import io.helidon.webserver.http.HttpRouting;

/**
 * Something more for the runtime's server to serve next to the ingress, metrics and health
 * endpoints, such as the live dashboard. Added with {@link PortflowServer.Builder#extension}.
 *
 * <p>Lifecycle: {@link #routing} once when the server is built, {@link #started} once the server
 * and the pipeline run, {@link #stopping} after the pipeline has drained and before the server
 * stops (the place to end long-lived responses such as event streams, which would otherwise hold
 * the server's stop).
 */
public interface ServerExtension {

    /** Adds this extension's routes for {@code pipeline}. */
    void routing(HttpRouting.Builder routing, Pipeline pipeline);

    /** Whether {@code path} is one of this extension's; an ingress may not use it. */
    boolean claims(String path);

    /** The server and the pipeline are running. */
    default void started(PortflowServer server) {}

    /** The pipeline has drained; the server stops next. */
    default void stopping() {}
}
