/**
 * The runtime's HTTP server ({@link dev.portflow.http.PortflowServer}): the pipeline's ingress endpoints (202, or
 * 503 with Retry-After when full), Prometheus and JSON metrics, health probes and the server extensions.
 * Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.http;

import org.jspecify.annotations.NullMarked;
