package dev.portflow.trace;

/**
 * Where a traced message's next spans hang from: the span of the stage (or entry point) that sent
 * it. Carried beside the message in its buffer (never inside it), in Kafka record headers and in
 * disk records. Implementations are immutable.
 */
public interface TraceContext {

    /** The trace's id, 32 lowercase hex digits (W3C trace context). */
    String traceId();

    /** The id of the span the message's next spans are children of, 16 lowercase hex digits. */
    String spanId();

    /** The W3C {@code traceparent} header value for this context, for carrying it over a wire. */
    default String traceparent() {
        return "00-" + traceId() + "-" + spanId() + "-01";
    }
}
