package dev.portflow.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;

/**
 * What every span of one kind at one place of a pipeline has in common: its name, kind and attributes (the
 * pipeline, the component, the port), made once per component and port (see {@link SpanShapes}), so a traced
 * message builds no names and no attribute maps of its own.
 */
record SpanShape(String name, SpanKind kind, Attributes attributes) {}
