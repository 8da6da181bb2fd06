/**
 * OpenTelemetry for Portflow's message traces ({@code docs/tracing.md}): {@link
 * dev.portflow.tracing.OpenTelemetryTracing} turns what the runtime tells a {@link dev.portflow.trace.MessageTracer}
 * into OpenTelemetry spans, with the head sampling and the late-trace limit of {@link
 * dev.portflow.tracing.TracingSettings}. Null-marked: a type without {@code @Nullable} never holds null (NullAway
 * checks it).
 */
@NullMarked
package dev.portflow.tracing;

import org.jspecify.annotations.NullMarked;
