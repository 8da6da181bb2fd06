package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.SingleWorker;
import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code jsonl_sink} recipe: appends one JSON object per line to a file (UTF-8, {@code \n}).
 *
 * <p>Each line is the message body, with {@code _id}, {@code _ingest_time} and (when the message
 * has an event time) {@code _event_time} in front unless {@code metadata: false}; a body that is not
 * an object is written as {@code {"_id":..., "_ingest_time":..., "body": <value>}}. The id lets a
 * reader drop the duplicates an at-least-once upstream may cause. Connected to an {@code err_*}
 * port it writes the error envelopes as dead letters (see {@link Documents#deadLetter}).
 *
 * <p>Every message is either written as one complete line or fails alone: {@link #accept} turns
 * it into the bytes of its line first, and a message that is not JSON (Infinity, NaN, an object
 * Jackson cannot serialize) throws there, with nothing written. Text is kept exactly: an unpaired
 * UTF-16 surrogate is written as its JSON escape (<code>"&#92;ud83d"</code>), so the file is always valid
 * UTF-8.
 *
 * <p>Durability: complete lines are buffered and written to the file at most {@code flush_ms} after
 * the first of them was buffered (by a small flusher on a virtual thread, so a quiet stream is
 * written too), when 64 KiB are buffered, at end of stream, and when the pipeline drains; a crash of
 * the process loses at most the last {@code flush_ms} of lines (the file is not fsync'ed, so a crash
 * of the machine may lose more).
 *
 * <p>Write errors (disk full, file system read-only) never loop: a write that fails is undone (the
 * file is cut back to its last complete line) and the sink writes each following line at once,
 * failing its message with the reason ({@code jsonl_sink: cannot write to /data/out.jsonl: No space
 * left on device}) until a write succeeds again. When the background flush fails, its lines stay
 * buffered and are tried once more with the next message (or at end of stream); a failed write for
 * a message fails that message, and its exception says how many buffered lines it took with it.
 * If the file is deleted or replaced while open (log rotation), the sink goes on in a new file at
 * the same path.
 *
 * <p>The file is opened in {@code setup} (creating its parent directories); a path that cannot be
 * written fails the setup with a one-line reason. A last line cut short by a crash ({@code kill -9}
 * during a write) is removed when the file is opened again, so a new line never merges with it;
 * a last line that is complete JSON without its newline is kept and terminated. The file is closed
 * in {@code cleanup}. One sink per file, on one worker ({@link SingleWorker}): two writers would
 * interleave their buffers, and lines appended from several threads would leave in no order.
 */
@SingleWorker("it appends to one file")
public final class JsonlSink implements Sink<Object> {

    private static final System.Logger LOG = System.getLogger(JsonlSink.class.getName());

    /** Buffered lines are written once they reach this size, whatever {@code flush_ms} says. */
    static final int FLUSH_BYTES = 64 * 1024;
    /** A torn last line longer than this is not read to see whether it is complete JSON. */
    private static final int MAX_CHECKED_LINE_BYTES = 16 * 1024 * 1024;

    private static final int SHOWN_FRAGMENT_CHARS = 120;

    private final JsonlSinkConfig config;
    private final Path path;
    private final long intervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition(); // the flusher waits on it
    // Guarded by lock.
    private final LineBuffer pending = new LineBuffer(); // complete lines not written yet
    private int pendingLines;
    private long firstPendingAt; // System.nanoTime() when the oldest pending line was buffered
    private boolean open; // between setup and cleanup
    private @Nullable FileChannel channel; // null after a failed reopen: the next write tries again
    private @Nullable Object fileKey; // identity of the open file, to notice a deletion or replacement
    private long end; // the file's size up to its last complete line, as far as this sink knows
    private boolean mayBeTorn; // a write failed and the file could not be cut back to end yet
    private @Nullable IOException failing; // the last write failed: lines are written one by one until one succeeds
    private boolean closed;
    private @Nullable Thread flusher;

    public JsonlSink(JsonlSinkConfig config) {
        this.config = config;
        this.path = config.path().toAbsolutePath();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs());
    }

    public JsonlSinkConfig config() {
        return config;
    }

    /**
     * Opens the file for appending, creating it and its parent directories.
     *
     * @throws IOException with a one-line reason naming the path, e.g. {@code jsonl_sink: cannot write
     *     to /tmp/x.txt/out.jsonl: /tmp/x.txt is a file, not a directory}
     */
    @Override
    public void setup(ComponentContext context) throws IOException {
        lock.lock();
        try {
            try {
                openFileLocked();
            } catch (IOException e) {
                throw cannotWrite(e, "");
            }
            open = true;
            closed = false;
            failing = null;
            if (intervalNanos > 0) {
                flusher = Thread.ofVirtual()
                        .name("portflow-" + context.pipelineName() + "-" + context.componentName() + "-flush")
                        .start(this::runFlusher);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the message's line, or buffers it for at most {@code flush_ms}.
     *
     * @throws IllegalArgumentException when the message cannot be written as JSON (nothing is written)
     * @throws IOException              when the file cannot be written: this message's line is not in
     *                                  the file (nor the buffered lines the message says)
     */
    @Override
    public void accept(Object message) throws IOException {
        JsonMessage document = Documents.of(message);
        Object line = config.metadata() ? Documents.withMetadata(document) : document.body();
        lock.lock();
        try {
            if (!open) {
                throw new IllegalStateException(
                        "jsonl_sink for " + config.path() + " is not open (setup not called, or already cleaned up)");
            }
            int mark = pending.size();
            boolean complete = false;
            try {
                Json.write(line, pending);
                pending.write('\n');
                complete = true;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("jsonl_sink: " + e.getMessage(), e);
            } finally {
                if (!complete) {
                    pending.truncate(mark); // the part of the line Jackson wrote before it failed
                }
            }
            pendingLines++;
            long now = System.nanoTime();
            if (pendingLines == 1) {
                firstPendingAt = now;
                wake.signal(); // the flusher now waits for this line's deadline
            }
            if (failing != null
                    || intervalNanos == 0
                    || pending.size() >= FLUSH_BYTES
                    || now - firstPendingAt >= intervalNanos) {
                writePendingLocked(false, true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes the buffered lines (end of stream, drain); throws when they cannot be written. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (open) {
                writePendingLocked(false, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes every pending line with as few writes as possible. On failure the file is cut back to
     * its last complete line, and the lines are dropped (after saying so in the exception) unless
     * {@code keep}: the flusher keeps them for one more try with the next message, never retrying by
     * itself, so a broken disk costs one attempt per message, not a loop.
     *
     * @param forMessage whether the last pending line is the one of the message being accepted
     */
    private void writePendingLocked(boolean keep, boolean forMessage) throws IOException {
        if (pendingLines == 0) {
            return;
        }
        try {
            FileChannel out = ensureFileLocked();
            ByteBuffer bytes = pending.view();
            long written = 0;
            while (bytes.hasRemaining()) {
                written += out.write(bytes);
            }
            end += written; // only now: after a failure, end must still be the last line boundary
        } catch (IOException e) {
            undoPartialWriteLocked();
            boolean wasFailing = failing != null;
            failing = e;
            int lines = pendingLines;
            if (!keep) {
                pending.clear();
                pendingLines = 0;
            }
            IOException reported = cannotWrite(e, lostLines(lines, keep, forMessage));
            if (keep && !wasFailing) {
                LOG.log(Level.WARNING, reported.getMessage()); // once per failure streak: the flusher stops retrying
            }
            throw reported;
        }
        pending.clear();
        pendingLines = 0;
        if (failing != null) {
            failing = null;
            LOG.log(Level.INFO, "jsonl_sink: writing to " + path + " works again");
        }
    }

    /** Whether the last write failed (and no write succeeded since). */
    boolean writeFailing() {
        lock.lock();
        try {
            return failing != null;
        } finally {
            lock.unlock();
        }
    }

    private static String lostLines(int lines, boolean kept, boolean forMessage) {
        if (kept) {
            return "; " + lines + (lines == 1 ? " line stays" : " lines stay") + " buffered and will be tried once more"
                    + " with the next message; until a write succeeds, each message is written at once or fails";
        }
        int others = forMessage ? lines - 1 : lines;
        if (others == 0) {
            return "";
        }
        return forMessage
                ? "; the " + others + (others == 1 ? " line" : " lines")
                        + " buffered before this message's were not written either"
                : "; " + others + (others == 1 ? " buffered line was" : " buffered lines were") + " not written";
    }

    private IOException cannotWrite(IOException e, String detail) {
        String reason = FailureReason.of(e);
        if (reason.startsWith(path + ": ")) {
            reason = reason.substring(path.toString().length() + 2); // the message names the path already
        }
        return new IOException("jsonl_sink: cannot write to " + path + ": " + reason + detail, e);
    }

    /**
     * Makes sure the channel is open on the file now at {@link #path}: reopens it after a failed
     * reopen, or when the file was deleted or replaced (a deleted file would swallow every line
     * without an error; one stat per write of the buffer), and first removes what a failed write
     * left of a line.
     *
     * @return the open channel
     */
    private FileChannel ensureFileLocked() throws IOException {
        if (channel != null) {
            if (!Objects.equals(currentFileKey(), fileKey)) {
                LOG.log(
                        Level.WARNING,
                        "jsonl_sink: " + path + " was deleted or replaced while open; going on in a new file there");
                closeChannelLocked();
            } else if (!mayBeTorn) {
                end = channel.size(); // in case another program truncated it (copytruncate rotation)
            }
        }
        if (channel == null) {
            FileChannel opened = openFileLocked();
            mayBeTorn = false; // a new file, or one whose torn end the open repaired
            return opened;
        }
        if (mayBeTorn) {
            undoPartialWriteLocked();
            if (mayBeTorn) {
                // It still cannot be cut back: end the fragment here, so the next line does not merge with it.
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                end = channel.size();
                mayBeTorn = false;
            }
        }
        return channel;
    }

    /** The identity of the file at {@link #path} ({@code null}: none, or the file system has no such notion). */
    private @Nullable Object currentFileKey() {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Cuts the file back to {@link #end}, removing the start of a line a failed write left. Only
     * after a failed write: the size is this sink's to judge only then (another program may have
     * appended or truncated the file).
     */
    private void undoPartialWriteLocked() {
        mayBeTorn = true;
        if (channel == null) {
            return;
        }
        try {
            if (channel.size() > end) {
                channel.truncate(end);
            }
            mayBeTorn = false;
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    "jsonl_sink: cannot cut " + path + " back to its last complete line yet: " + e.getMessage());
        }
    }

    /** Opens the file at {@link #path} as {@link #channel}, and returns it. */
    private FileChannel openFileLocked() throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "it is a directory");
        }
        FileChannel opened =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            end = startOnAFreshLine(opened);
            fileKey = currentFileKey();
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        channel = opened;
        return opened;
    }

    /**
     * When the file does not end with a newline (a process killed in the middle of a write), ends
     * it on a line boundary: a last line that is complete JSON only lacks its newline and gets it; a
     * torn one is removed, and logged, so no new line merges with it and the file stays valid JSON
     * Lines. Earlier lines are never touched.
     *
     * @return the file's size afterwards
     */
    private long startOnAFreshLine(FileChannel append) throws IOException {
        long size = append.size();
        if (size == 0 || !Files.isRegularFile(path)) {
            return size;
        }
        try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ)) {
            if (byteAt(read, size - 1) == '\n') {
                return size;
            }
            long start = startOfLastLine(read, size);
            long length = size - start;
            byte[] fragment = length <= MAX_CHECKED_LINE_BYTES ? readFully(read, start, (int) length) : null;
            if (fragment != null && isJson(fragment)) {
                append.write(ByteBuffer.wrap(new byte[] {'\n'}));
                LOG.log(
                        Level.INFO,
                        "jsonl_sink: " + path + " ended with a complete line without its newline; added the newline");
                return append.size();
            }
            append.truncate(start);
            String shown = fragment == null ? "" : ": " + shorten(new String(fragment, StandardCharsets.UTF_8));
            LOG.log(
                    Level.WARNING,
                    "jsonl_sink: " + path + " ended with a torn line (" + length + " bytes at offset " + start
                            + ", a write cut short, e.g. by kill -9); removed it so new lines start on a fresh line"
                            + shown);
            return start;
        }
    }

    private static long startOfLastLine(FileChannel read, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long chunkEnd = size;
        while (chunkEnd > 0) {
            long chunkStart = Math.max(0, chunkEnd - chunk.capacity());
            chunk.clear().limit((int) (chunkEnd - chunkStart));
            readFully(read, chunk, chunkStart);
            for (int i = chunk.limit() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return chunkStart + i + 1;
                }
            }
            chunkEnd = chunkStart;
        }
        return 0;
    }

    private static byte byteAt(FileChannel read, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        readFully(read, one, position);
        return one.get(0);
    }

    private static byte[] readFully(FileChannel read, long position, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        readFully(read, bytes, position);
        return bytes.array();
    }

    private static void readFully(FileChannel read, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = read.read(into, at);
            if (n < 0) {
                throw new IOException("the file shrank while it was read");
            }
            at += n;
        }
    }

    private static boolean isJson(byte[] line) {
        try {
            Json.MAPPER.readTree(line);
            return true;
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    private static String shorten(String text) {
        return text.length() <= SHOWN_FRAGMENT_CHARS ? text : text.substring(0, SHOWN_FRAGMENT_CHARS) + "...";
    }

    private void runFlusher() {
        lock.lock();
        try {
            while (!closed) {
                if (pendingLines == 0 || failing != null) {
                    wake.await(); // after a failed write, the next message (or the end) tries again, not a timer
                    continue;
                }
                long wait = firstPendingAt + intervalNanos - System.nanoTime();
                if (wait > 0) {
                    wake.awaitNanos(wait);
                    continue;
                }
                try {
                    writePendingLocked(true, false);
                } catch (IOException e) {
                    // Logged by writePendingLocked; the lines wait for the next message.
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            lock.unlock();
        }
    }

    private void closeChannelLocked() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "jsonl_sink: closing " + path + " failed: " + e.getMessage());
            }
            channel = null;
        }
    }

    @Override
    public void cleanup() throws IOException, InterruptedException {
        Thread t;
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
            t = flusher;
            flusher = null;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.join();
        }
        lock.lock();
        try {
            if (open) {
                try {
                    writePendingLocked(false, false);
                } finally {
                    open = false;
                    closeChannelLocked();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of complete lines; a line Jackson failed to finish is cut off again ({@link #truncate}). */
    private static final class LineBuffer extends ByteArrayOutputStream {

        private static final int INITIAL = 8192;

        LineBuffer() {
            super(INITIAL);
        }

        void truncate(int size) {
            count = size;
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }

        /** Empties the buffer; an array grown for one huge line is not kept. */
        void clear() {
            count = 0;
            if (buf.length > 4 * FLUSH_BYTES) {
                buf = new byte[INITIAL];
            }
        }
    }
}
