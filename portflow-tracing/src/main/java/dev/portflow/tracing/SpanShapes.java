package dev.portflow.tracing;

import static dev.portflow.tracing.OpenTelemetryMessageTracer.COMPONENT;
import static dev.portflow.tracing.OpenTelemetryMessageTracer.LATE;
import static dev.portflow.tracing.OpenTelemetryMessageTracer.PIPELINE;
import static dev.portflow.tracing.OpenTelemetryMessageTracer.PORT;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link SpanShape}s of one pipeline's spans, made on first use per component and port: a traced message
 * would otherwise build the same names and attributes at every stage.
 */
final class SpanShapes {

    /** The shapes of the spans of a message taken from one input port. */
    record AtPort(SpanShape waitShape, SpanShape stageShape, SpanShape slowShape, SpanShape errorShape) {

        /** The root of a late trace: {@code before <component> (slow|error)}. */
        SpanShape late(String why) {
            return switch (why) {
                case "slow" -> slowShape;
                case "error" -> errorShape;
                default -> throw new IllegalArgumentException("why: slow or error, not " + why);
            };
        }
    }

    private final String pipeline;
    private final Map<String, SpanShape> entries = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtPort>> ports = new ConcurrentHashMap<>();

    SpanShapes(String pipeline) {
        this.pipeline = pipeline;
    }

    /** {@code enter <component>}: a message entering the pipeline at a source or the ingress. */
    SpanShape entry(String component) {
        SpanShape shape = entries.get(component); // a get first: the lambda below captures, and would allocate
        return shape != null
                ? shape
                : entries.computeIfAbsent(
                        component,
                        c -> new SpanShape(
                                "enter " + c, SpanKind.PRODUCER, Attributes.of(PIPELINE, pipeline, COMPONENT, c)));
    }

    /** The spans of a message taken from {@code component}'s input {@code port}. */
    AtPort at(String component, String port) {
        Map<String, AtPort> byPort = ports.get(component);
        if (byPort == null) {
            byPort = ports.computeIfAbsent(component, c -> new ConcurrentHashMap<>());
        }
        AtPort shapes = byPort.get(port);
        return shapes != null ? shapes : byPort.computeIfAbsent(port, p -> atPort(component, p));
    }

    private AtPort atPort(String component, String port) {
        Attributes attributes = Attributes.of(PIPELINE, pipeline, COMPONENT, component, PORT, port);
        return new AtPort(
                new SpanShape("wait " + component + "." + port, SpanKind.INTERNAL, attributes),
                new SpanShape(component, SpanKind.CONSUMER, attributes),
                late(component, attributes, "slow"),
                late(component, attributes, "error"));
    }

    private static SpanShape late(String component, Attributes attributes, String why) {
        return new SpanShape(
                "before " + component + " (" + why + ")",
                SpanKind.INTERNAL,
                attributes.toBuilder().put(LATE, why).build());
    }
}
