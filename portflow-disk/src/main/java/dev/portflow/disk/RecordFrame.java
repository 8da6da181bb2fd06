package dev.portflow.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * How one record is laid out in a segment:
 *
 * <pre>
 * length   u32  bytes of the body
 * crc      u32  CRC32C of the body
 * body:
 *   version  u8   1, or 2 for a record that carries a trace context
 *   seq      u64  the record's sequence number, increasing through the log (gaps allowed)
 *   origin   i64  epoch nanoseconds at which the message's age started
 *   appended i64  epoch nanoseconds at which the sender handed it over (its queue wait starts)
 *   trace    16 + 8 bytes, version 2 only: the W3C trace id and span id of the context the
 *                 message's next spans hang from (the sending stage's span)
 *   payload       the message, as the connection's codec encoded it
 * </pre>
 *
 * All big-endian. The length sits outside the checksum, but a wrong length makes the checksum
 * cover the wrong bytes, so it is caught as well. A frame is valid only if its length is in range
 * (for its version), its checksum matches, its version is known and its sequence number comes
 * after the previous record's: the last check is what lets a scan find the next record after
 * damaged bytes without trusting a random match (see {@link SegmentScanner}).
 *
 * <p>Version 2 was added with trace contexts; an untraced message is still written as version 1,
 * so logs written before it, and the records of a pipeline that traces nothing, are byte for byte
 * what they were.
 */
final class RecordFrame {

    static final int HEADER = 8;
    /** A record without a trace context. */
    static final byte VERSION = 1;
    /** A record with a trace context ({@link #TRACE_BYTES} after the fixed fields). */
    static final byte VERSION_TRACED = 2;
    /** The fixed fields of every body: version, seq, origin, appended. */
    static final int BODY_FIXED = 1 + 8 + 8 + 8;
    /** A version 2 body's trace context: the trace id's 16 bytes, then the span id's 8. */
    static final int TRACE_BYTES = 16 + 8;
    /** The largest payload a record may carry. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    static final int MAX_BODY = BODY_FIXED + TRACE_BYTES + MAX_PAYLOAD;
    /** How far past the previous record's sequence number a valid one may be (gaps come from failed writes). */
    static final long MAX_SEQ_GAP = 1L << 40;

    private RecordFrame() {}

    /** The bytes a record with {@code payloadLength} bytes of payload takes on disk, without a trace context. */
    static int size(int payloadLength) {
        return size(payloadLength, false);
    }

    /** The bytes a record with {@code payloadLength} bytes of payload takes on disk. */
    static int size(int payloadLength, boolean traced) {
        return HEADER + BODY_FIXED + (traced ? TRACE_BYTES : 0) + payloadLength;
    }

    /** The smallest body of a record of {@code version}, or -1 for a version that does not exist. */
    static int minBody(byte version) {
        return switch (version) {
            case VERSION -> BODY_FIXED;
            case VERSION_TRACED -> BODY_FIXED + TRACE_BYTES;
            default -> -1;
        };
    }

    /** Writes one frame without a trace context at {@code dst}'s position and advances it. */
    static void write(ByteBuffer dst, long seq, long originEpochNanos, long appendedEpochNanos, byte[] payload) {
        write(dst, seq, originEpochNanos, appendedEpochNanos, null, payload);
    }

    /**
     * Writes one frame at {@code dst}'s position and advances it: version 2 with {@code trace}
     * ({@link #TRACE_BYTES} bytes), version 1 without.
     */
    static void write(
            ByteBuffer dst,
            long seq,
            long originEpochNanos,
            long appendedEpochNanos,
            byte @Nullable [] trace,
            byte[] payload) {
        int start = dst.position();
        int bodyLength = BODY_FIXED + (trace != null ? TRACE_BYTES : 0) + payload.length;
        dst.putInt(bodyLength);
        dst.putInt(0); // the checksum, once the body is written
        int body = dst.position();
        dst.put(trace != null ? VERSION_TRACED : VERSION);
        dst.putLong(seq);
        dst.putLong(originEpochNanos);
        dst.putLong(appendedEpochNanos);
        if (trace != null) {
            dst.put(trace, 0, TRACE_BYTES);
        }
        dst.put(payload);
        dst.putInt(start + 4, crc(dst, body, bodyLength));
    }

    /** CRC32C of {@code length} bytes of {@code buffer} from {@code offset}, as an int. */
    static int crc(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(offset, length));
        return (int) crc.getValue();
    }

    /** The length of the frame at {@code at} (header included), for a frame the scanner found valid. */
    static int frameLength(ByteBuffer buffer, int at) {
        return HEADER + buffer.getInt(at);
    }

    static long seq(ByteBuffer buffer, int at) {
        return buffer.getLong(at + HEADER + 1);
    }

    static long origin(ByteBuffer buffer, int at) {
        return buffer.getLong(at + HEADER + 9);
    }

    static long appended(ByteBuffer buffer, int at) {
        return buffer.getLong(at + HEADER + 17);
    }

    /** The trace context's {@link #TRACE_BYTES} bytes of a version 2 frame; {@code null} for version 1. */
    static byte @Nullable [] trace(ByteBuffer buffer, int at) {
        if (buffer.get(at + HEADER) != VERSION_TRACED) {
            return null;
        }
        byte[] trace = new byte[TRACE_BYTES];
        buffer.get(at + HEADER + BODY_FIXED, trace);
        return trace;
    }

    static byte[] payload(ByteBuffer buffer, int at) {
        int fixed = minBody(buffer.get(at + HEADER));
        int length = buffer.getInt(at) - fixed;
        byte[] payload = new byte[length];
        buffer.get(at + HEADER + fixed, payload);
        return payload;
    }
}
