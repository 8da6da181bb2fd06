package dev.portflow.disk;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the receiving side has got to: every record with a sequence number below the position is
 * done with (its work complete downstream), so a restart delivers from there.
 *
 * <p>Kept in place, in two 16-byte slots written in turn ({@code [position u64][crc32c u32][0 u32]}),
 * and forced after each write. Reading takes the valid slot with the higher position. A write torn
 * by a crash spoils at most the slot being written, and the other still holds the previous
 * position (so the records since are delivered again: at-least-once). Writing in place needs no
 * free space, unlike a new file renamed over the old: on a full disk the position still advances,
 * consumed segments are deleted, and that is what frees the space.
 */
final class PositionFile implements AutoCloseable {

    static final String NAME = "position";
    private static final int SLOT = 16;

    private final LogFile file;
    private long position;
    private int nextSlot;
    private boolean damaged;

    private PositionFile(LogFile file, long position, int nextSlot) {
        this.file = file;
        this.position = position;
        this.nextSlot = nextSlot;
    }

    /** Opens the position file of {@code storage}, creating it (at position 0) if there is none. */
    static PositionFile open(LogStorage storage) throws IOException {
        boolean exists = storage.list().contains(NAME);
        LogFile file = storage.open(NAME, true);
        if (!exists || file.size() < 2L * SLOT) {
            // new (or cut short before its first force: nothing was ever committed in it)
            ByteBuffer slots = ByteBuffer.allocate(2 * SLOT);
            putSlot(slots, 0, 0);
            putSlot(slots, SLOT, 0);
            file.truncate(0);
            file.write(slots, 0);
            file.force();
            storage.syncDirectory();
            return new PositionFile(file, 0, 0);
        }
        ByteBuffer slots = ByteBuffer.allocate(2 * SLOT);
        while (slots.hasRemaining() && file.read(slots, slots.position()) >= 0) {
            // reads both slots
        }
        long first = slotValue(slots, 0);
        long second = slotValue(slots, SLOT);
        if (first < 0 && second < 0) {
            // Both slots damaged (not by a crash, which spoils one at most): start from the log's
            // beginning rather than refuse to start; the caller reports it.
            PositionFile fresh = new PositionFile(file, 0, 0);
            fresh.damaged = true;
            return fresh;
        }
        // the next write goes over the older slot
        return first >= second ? new PositionFile(file, first, 1) : new PositionFile(file, second, 0);
    }

    /** Whether both slots failed their checksum when opened (the position then starts at 0). */
    boolean damaged() {
        return damaged;
    }

    /** The last position written. */
    long position() {
        return position;
    }

    /** Makes {@code newPosition} durable (no-op when it is not higher, unless the slots were damaged). */
    void write(long newPosition) throws IOException {
        if (newPosition <= position && !damaged) {
            return;
        }
        ByteBuffer slot = ByteBuffer.allocate(SLOT);
        putSlot(slot, 0, newPosition);
        file.write(slot, (long) nextSlot * SLOT);
        file.force();
        position = newPosition;
        nextSlot ^= 1;
        damaged = false;
    }

    private static void putSlot(ByteBuffer buffer, int at, long value) {
        buffer.putLong(at, value);
        buffer.putInt(at + 8, checksum(value));
        buffer.putInt(at + 12, 0);
    }

    /** The slot's position, or -1 when its checksum fails. */
    private static long slotValue(ByteBuffer buffer, int at) {
        long value = buffer.getLong(at);
        return value >= 0 && buffer.getInt(at + 8) == checksum(value) ? value : -1;
    }

    private static int checksum(long value) {
        ByteBuffer b = ByteBuffer.allocate(8).putLong(0, value);
        return RecordFrame.crc(b, 0, 8);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
