package dev.portflow.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the frames of one segment in order, from an offset up to a limit, and steps over damaged
 * bytes: where no valid frame starts, it looks byte by byte for the next place one does and reports
 * the bytes in between as {@link Damage}. A random match is practically impossible: a candidate
 * needs a known version byte, a plausible length for it, a sequence number just after the last one seen (a
 * window of 2^40 out of 2^64), and only then a matching CRC32C; garbage fails the cheap checks
 * first, so a scan through it computes almost no checksums.
 */
final class SegmentScanner {

    /** What the scan found next. */
    sealed interface Item permits Frame, Damage {}

    /**
     * A valid record at {@code offset}, {@code length} bytes long; {@code trace} is its trace context
     * ({@link RecordFrame#TRACE_BYTES} bytes, see {@link RecordTrace}), or null for an untraced one.
     */
    @SuppressWarnings("ArrayRecordComponent") // read once by the receiver; equality is never used
    record Frame(
            long offset,
            int length,
            long seq,
            long originEpochNanos,
            long appendedEpochNanos,
            byte @Nullable [] trace,
            byte[] payload)
            implements Item {}

    /**
     * Bytes {@code [from, to)} that hold no valid record; {@code toEnd} when no valid record follows
     * them before the limit (at the end of a segment being written: a record cut short by a crash).
     */
    record Damage(long from, long to, boolean toEnd) implements Item {}

    private static final int WINDOW = 1 << 20;

    private final LogFile file;
    private long limit;
    private ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private long windowStart;
    private long windowEnd; // file offset after the last byte in the window
    private long position;
    private long lastSeq;

    /**
     * @param afterSeq the sequence number the first record's must exceed (the previous record's, or -1)
     */
    SegmentScanner(LogFile file, long offset, long limit, long afterSeq) {
        this.file = file;
        this.limit = limit;
        this.position = offset;
        this.lastSeq = afterSeq;
        this.windowStart = offset;
        this.windowEnd = offset;
    }

    /** Lets the scan go on to {@code newLimit} (a segment being written has grown; the bytes before stay as they were). */
    void extendTo(long newLimit) {
        limit = Math.max(limit, newLimit);
    }

    /** Where the next item starts. */
    long position() {
        return position;
    }

    /** The sequence number of the last valid record read (or the one given at the start). */
    long lastSeq() {
        return lastSeq;
    }

    /** The next frame or damaged stretch; {@code null} at the limit. */
    @Nullable
    Item next() throws IOException {
        if (position >= limit) {
            return null;
        }
        if (validAt(position)) {
            Frame frame = frameAt(position);
            position += frame.length();
            lastSeq = frame.seq();
            return frame;
        }
        long from = position;
        for (long at = from + 1; at < limit; at++) {
            if (validAt(at)) {
                position = at;
                return new Damage(from, at, false);
            }
        }
        position = limit;
        return new Damage(from, limit, true);
    }

    /** Whether a valid frame whose sequence number follows {@link #lastSeq} starts at {@code at}. */
    private boolean validAt(long at) throws IOException {
        if (available(at, RecordFrame.HEADER + RecordFrame.BODY_FIXED) < RecordFrame.HEADER + RecordFrame.BODY_FIXED) {
            return false; // too short for a record: a cut one
        }
        int i = (int) (at - windowStart);
        int length = window.getInt(i);
        int minBody = RecordFrame.minBody(window.get(i + RecordFrame.HEADER)); // -1: no such version
        if (minBody < 0
                || length < minBody
                || length > RecordFrame.MAX_BODY
                || limit - at - RecordFrame.HEADER < length) {
            return false;
        }
        long seq = window.getLong(i + RecordFrame.HEADER + 1);
        if (seq <= lastSeq || seq - lastSeq > RecordFrame.MAX_SEQ_GAP) {
            return false;
        }
        int size = RecordFrame.HEADER + length;
        available(at, size); // the whole frame is within the limit (checked above), so this makes it all available
        i = (int) (at - windowStart);
        return RecordFrame.crc(window, i + RecordFrame.HEADER, length) == window.getInt(i + 4);
    }

    private Frame frameAt(long at) {
        int i = (int) (at - windowStart);
        return new Frame(
                at,
                RecordFrame.frameLength(window, i),
                RecordFrame.seq(window, i),
                RecordFrame.origin(window, i),
                RecordFrame.appended(window, i),
                RecordFrame.trace(window, i),
                RecordFrame.payload(window, i));
    }

    /**
     * Makes up to {@code n} bytes from {@code at} available in the window (fewer where the limit
     * comes first) and returns how many are.
     */
    private int available(long at, int n) throws IOException {
        long wanted = Math.min(limit, at + n);
        if (at >= windowStart && wanted <= windowEnd) {
            return (int) (wanted - at);
        }
        int size = (int) (wanted - at);
        if (window.capacity() < size) {
            window = ByteBuffer.allocate(Math.max(size, WINDOW));
        }
        window.clear();
        long readEnd = Math.min(limit, at + window.capacity());
        window.limit((int) (readEnd - at));
        long filePosition = at;
        try {
            while (window.hasRemaining()) {
                int read = file.read(window, filePosition);
                if (read < 0) {
                    break; // the file is shorter than the limit said: what is there is all there is
                }
                filePosition += read;
            }
        } catch (IOException e) {
            windowStart = at;
            windowEnd = at; // the window holds nothing valid now; the next call reads again
            throw e;
        }
        windowStart = at;
        windowEnd = filePosition;
        return (int) (Math.min(wanted, windowEnd) - at);
    }
}
