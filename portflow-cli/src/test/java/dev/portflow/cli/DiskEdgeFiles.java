package dev.portflow.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A disk edge's files read from outside, as docs/disk-transport.md ("On disk") describes them: the
 * sequence number of every record still in the log by its message id, and the committed position.
 * For the crash test's report on a failed run: where an id that went missing was when the run ended.
 * A best-effort reader: a file is read up to its first frame that does not check out.
 */
record DiskEdgeFiles(Map<String, Long> seqById, long committedPosition) {

    private static final int FRAME_HEADER = 8; // [length u32][crc32c u32]
    private static final int BODY_HEADER = 25; // [version u8][seq u64][origin i64][appended i64]
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    /** Reads the edge directory {@code edge} ({@code <data_dir>/<from>.<port>-<to>.<port>}). */
    static DiskEdgeFiles read(Path edge) throws IOException {
        Map<String, Long> seqById = new HashMap<>();
        List<Path> segments;
        try (var files = Files.list(edge)) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
        for (Path segment : segments) {
            byte[] bytes = Files.readAllBytes(segment);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.remaining() >= FRAME_HEADER) {
                int length = b.getInt(b.position());
                int crc = b.getInt(b.position() + 4);
                int body = b.position() + FRAME_HEADER;
                if (length < BODY_HEADER || length > b.limit() - body || crc(bytes, body, length) != crc) {
                    break; // zeros written ahead, a torn tail or damage: the rest is not read
                }
                long seq = b.getLong(body + 1);
                String payload = new String(bytes, body + BODY_HEADER, length - BODY_HEADER, StandardCharsets.UTF_8);
                Matcher m = ID.matcher(payload);
                if (m.find()) {
                    seqById.put(m.group(1), seq);
                }
                b.position(body + length);
            }
        }
        return new DiskEdgeFiles(seqById, position(edge.resolve("position")));
    }

    /**
     * The committed position in a copy of an edge's {@code position} file: the higher of its two slots
     * whose checksum holds ({@code [position u64][crc32c u32][0 u32]}); 0 if none or no file.
     */
    static long position(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long best = 0;
        for (int slot = 0; slot + 16 <= b.limit(); slot += 16) {
            if (crc(bytes, slot, 8) == b.getInt(slot + 8)) {
                best = Math.max(best, b.getLong(slot));
            }
        }
        return best;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
