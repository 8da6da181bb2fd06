package dev.portflow.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How one record is laid out in a segment:
 *
 * <pre>
 * length   u32  bytes of the body
 * crc      u32  CRC32C of the body
 * body:
 *   version  u8   1
 *   seq      u64  the record's sequence number, increasing through the log (gaps allowed)
 *   origin   i64  epoch nanoseconds at which the message's age started
 *   appended i64  epoch nanoseconds at which the sender handed it over (its queue wait starts)
 *   payload       the message, as the connection's codec encoded it
 * </pre>
 *
 * All big-endian. The length sits outside the checksum, but a wrong length makes the checksum
 * cover the wrong bytes, so it is caught as well. A frame is valid only if its length is in range,
 * its checksum matches, its version is known and its sequence number comes after the previous
 * record's: the last check is what lets a scan find the next record after damaged bytes without
 * trusting a random match (see {@link SegmentScanner}).
 */
final class RecordFrame {

    static final int HEADER = 8;
    static final byte VERSION = 1;
    static final int BODY_FIXED = 1 + 8 + 8 + 8;
    /** The largest payload a record may carry. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    static final int MAX_BODY = BODY_FIXED + MAX_PAYLOAD;
    /** How far past the previous record's sequence number a valid one may be (gaps come from failed writes). */
    static final long MAX_SEQ_GAP = 1L << 40;

    private RecordFrame() {}

    /** The bytes a record with {@code payloadLength} bytes of payload takes on disk. */
    static int size(int payloadLength) {
        return HEADER + BODY_FIXED + payloadLength;
    }

    /** Writes one frame at {@code dst}'s position and advances it. */
    static void write(ByteBuffer dst, long seq, long originEpochNanos, long appendedEpochNanos, byte[] payload) {
        int start = dst.position();
        int bodyLength = BODY_FIXED + payload.length;
        dst.putInt(bodyLength);
        dst.putInt(0); // the checksum, once the body is written
        int body = dst.position();
        dst.put(VERSION);
        dst.putLong(seq);
        dst.putLong(originEpochNanos);
        dst.putLong(appendedEpochNanos);
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

    static byte[] payload(ByteBuffer buffer, int at) {
        int length = buffer.getInt(at) - BODY_FIXED;
        byte[] payload = new byte[length];
        buffer.get(at + HEADER + BODY_FIXED, payload);
        return payload;
    }
}
