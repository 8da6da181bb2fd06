package dev.portflow.dashboard;

/**
 * One HTTP ingress over the last sampling interval.
 *
 * @param component            the {@code api_endpoint} component
 * @param path                 its path
 * @param acceptedPerS         202 answers per second
 * @param backpressuredPerS    503 answers per second (backpressure and shutting down)
 * @param clientErrorsPerS     4xx answers per second
 * @param retryAfterS          the {@code Retry-After} a 503 would carry now
 * @param acceptedTotal        202 answers since start
 * @param backpressuredTotal   503 answers since start
 * @param clientErrorsTotal    4xx answers since start
 */
record IngressSample(
        String component,
        String path,
        double acceptedPerS,
        double backpressuredPerS,
        double clientErrorsPerS,
        int retryAfterS,
        long acceptedTotal,
        long backpressuredTotal,
        long clientErrorsTotal) {}
