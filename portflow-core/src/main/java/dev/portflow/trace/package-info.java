/**
 * The path of single messages through a pipeline: which stages a message went through, how long it
 * waited in each buffer and how long each stage took. The runtime reports it to a {@link
 * dev.portflow.trace.MessageTracer} for the messages that carry a {@link dev.portflow.trace.TraceContext}
 * (sampled where they entered) and for untraced ones that turn out slow or fail; the OpenTelemetry
 * implementation lives in {@code portflow-tracing}. Without a tracer nothing here is called. See
 * {@code docs/tracing.md}.
 */
@NullMarked
package dev.portflow.trace;

import org.jspecify.annotations.NullMarked;
