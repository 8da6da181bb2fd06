package dev.portflow.kafka;

import dev.portflow.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A trace context carried over a Kafka edge in the record header {@value #HEADER}, in the W3C
 * {@code traceparent} format (https://www.w3.org/TR/trace-context/#traceparent-header, the header
 * OpenTelemetry's messaging conventions use too): {@code 00-<trace id>-<span id>-<flags>}. The
 * sending link writes it for traced messages only; the receiver reads it back into this, the
 * context the receiving stage's spans hang from.
 */
record Traceparent(String traceId, String spanId) implements TraceContext {

    /** The record header's name. */
    static final String HEADER = "traceparent";

    private static final int LENGTH = 55; // version 00: "00-" + 32 + "-" + 16 + "-" + 2

    /**
     * The context in a {@code traceparent} header value, or {@code null} when it is well-formed but
     * not sampled (flags without bit 0: the sender did not trace the message).
     *
     * @throws IllegalArgumentException saying what is wrong, when it is not a valid {@code traceparent}
     */
    static @Nullable Traceparent parse(byte[] value) {
        int version = hexByte(value, 0, "version");
        if (version == 0xff) {
            throw new IllegalArgumentException("version ff is invalid");
        }
        if (value.length < LENGTH
                || (version == 0 ? value.length != LENGTH : value.length > LENGTH && value[LENGTH] != '-')) {
            throw new IllegalArgumentException(
                    "not <version>-<32 hex digits>-<16 hex digits>-<flags> (" + value.length + " bytes)");
        }
        for (int dash : new int[] {2, 35, 52}) {
            if (value[dash] != '-') {
                throw new IllegalArgumentException("no '-' at " + dash);
            }
        }
        String traceId = hexId(value, 3, 32, "trace id");
        String spanId = hexId(value, 36, 16, "parent id");
        int flags = hexByte(value, 53, "flags"); // a later version may add fields after them
        return (flags & 1) == 0 ? null : new Traceparent(traceId, spanId);
    }

    /** {@code length} lowercase hex digits from {@code from}, not all zero (W3C: an all-zero id is invalid). */
    private static String hexId(byte[] value, int from, int length, String what) {
        boolean zero = true;
        for (int i = from; i < from + length; i++) {
            int digit = digit(value, i, what);
            zero &= digit == 0;
        }
        if (zero) {
            throw new IllegalArgumentException("the " + what + " is all zeros");
        }
        return new String(value, from, length, StandardCharsets.US_ASCII);
    }

    private static int hexByte(byte[] value, int at, String what) {
        if (value.length < at + 2) {
            throw new IllegalArgumentException("too short for its " + what + " (" + value.length + " bytes)");
        }
        return digit(value, at, what) << 4 | digit(value, at + 1, what);
    }

    private static int digit(byte[] value, int at, String what) {
        byte b = value[at];
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        throw new IllegalArgumentException("the " + what + " holds a character that is not a lowercase hex digit");
    }
}
