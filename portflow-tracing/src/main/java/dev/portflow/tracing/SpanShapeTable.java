package dev.portflow.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Arrays;

/**
 * The {@link SpanShape}s of the pipelines that record spans into one {@link SpanLogDrain}, by id: a span's
 * record in a {@link SpanLog} is all longs, its shape an id the drain looks up here.
 *
 * <p>A shape is added (under the lock, then published by the volatile array) before any thread can record a
 * span of it, and a record reaches the drain through its log's release of the record: the drain that reads
 * the record therefore reads an array that has the shape.
 */
final class SpanShapeTable {

    private volatile SpanShape[] shapes = new SpanShape[0];

    /** A new shape, with the next id. */
    synchronized SpanShape add(String name, SpanKind kind, Attributes attributes) {
        SpanShape[] before = shapes;
        SpanShape shape = new SpanShape(before.length, name, kind, attributes);
        SpanShape[] after = Arrays.copyOf(before, before.length + 1);
        after[before.length] = shape;
        shapes = after;
        return shape;
    }

    /** The shape with {@code id}, which {@link #add} returned. */
    SpanShape get(int id) {
        return shapes[id];
    }
}
