package dev.portflow.disk;

import dev.portflow.trace.TraceContext;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The trace context a disk record carries (a version 2 {@link RecordFrame}): the W3C trace id and
 * span id as their 16 + 8 bytes. The receiver sends the record's message with it, so the receiving
 * stage's spans continue the trace as children of the sending stage's span.
 */
record RecordTrace(String traceId, String spanId) implements TraceContext {

    private static final HexFormat HEX = HexFormat.of(); // lowercase, as W3C ids are

    /**
     * The {@link RecordFrame#TRACE_BYTES} bytes of {@code context}, or {@code null} when its ids are
     * not W3C ids (32 and 16 lowercase hex digits, not all zero): such a context cannot be written,
     * and the record is written untraced.
     */
    static byte @Nullable [] encode(TraceContext context) {
        String trace = context.traceId();
        String span = context.spanId();
        if (trace.length() != 32 || span.length() != 16 || !lowercaseHex(trace) || !lowercaseHex(span)) {
            return null;
        }
        byte[] bytes = new byte[RecordFrame.TRACE_BYTES];
        System.arraycopy(HEX.parseHex(trace), 0, bytes, 0, 16);
        System.arraycopy(HEX.parseHex(span), 0, bytes, 16, 8);
        return allZero(bytes, 0, 16) || allZero(bytes, 16, 24) ? null : bytes;
    }

    /** The context in a record's trace bytes. */
    static RecordTrace decode(byte[] bytes) {
        return new RecordTrace(HEX.formatHex(bytes, 0, 16), HEX.formatHex(bytes, 16, RecordFrame.TRACE_BYTES));
    }

    private static boolean lowercaseHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
