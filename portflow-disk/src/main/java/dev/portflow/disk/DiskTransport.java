package dev.portflow.disk;

import dev.portflow.port.RemoteLink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One process's data directory for durable connections: it holds the directory's lock while open,
 * and each edge's log (one subdirectory per edge). Both ends of an edge come from here. Close it
 * after the pipeline has drained.
 *
 * <pre>{@code
 * try (DiskTransport disk = DiskTransport.open(DiskSettings.of(Path.of("portflow-data/orders")))) {
 *     DiskEdge edge = DiskEdge.of("orders", "api.out_requests", "store.in_orders", 100_000);
 *     DiskReceiver<JsonMessage> receiver = disk.receiver(edge, DiskCodec.jsonMessages());
 *     Pipeline pipeline = Pipeline.builder("orders")
 *             .source("api", JsonMessage.class, api)
 *             .connect("api.out_requests", disk.sendingLink(edge, DiskCodec.jsonMessages()), options)
 *             .source("disk_in_store_in_orders", receiver)
 *             .sink("store", JsonMessage.class, store)
 *             .connect("disk_in_store_in_orders.out_records", "store.in_orders")
 *             .bindRemote("store.in_orders", receiver.backlog())
 *             .build();
 *     receiver.watch(pipeline);
 *     ...
 * }
 * }</pre>
 */
public final class DiskTransport implements AutoCloseable {

    /** The {@code transport} tag of a disk edge's meters. */
    public static final String TRANSPORT = "disk";
    /** Default prefetch of a receiving edge: records read ahead of the receiving component. */
    public static final int DEFAULT_PREFETCH = 256;
    /** The lock file in the data directory. */
    public static final String LOCK_FILE = ".lock";

    /** Makes the storage of one edge's log directory: real files, or a test's simulation. */
    interface StorageFactory {
        LogStorage open(Path directory) throws IOException;
    }

    private final DiskSettings settings;
    private final StorageFactory storage;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Opened> logs = new LinkedHashMap<>();
    private boolean closed;

    /** An edge's log and the edge it was opened for. */
    private record Opened(DiskEdge edge, DiskLog log) {}

    private DiskTransport(DiskSettings settings, StorageFactory storage, FileChannel lockChannel, FileLock lock) {
        this.settings = settings;
        this.storage = storage;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Takes the data directory (creating it): refused while another process (or another transport
     * in this one) holds it.
     *
     * @throws DiskTransportException if the directory is in use or cannot be written
     */
    public static DiskTransport open(DiskSettings settings) {
        return open(settings, FileLogStorage::new);
    }

    /** {@link #open(DiskSettings)} with the logs in {@code storage} (the lock is always a real file). */
    static DiskTransport open(DiskSettings settings, StorageFactory storage) {
        Path dir = settings.dataDirectory().toAbsolutePath();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(
                    dir.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DiskTransportException("cannot use data directory " + dir + ": " + DiskLog.describeFailure(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DiskTransportException("cannot lock data directory " + dir + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            closeQuietly(channel);
            throw new DiskTransportException("data directory " + dir + " is in use by another running process"
                    + (holder == null ? "" : " (pid " + holder + ")")
                    + ": stop it, or give this one its own directory (data_dir: in the blueprint, --data-dir)");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            // the pid is only for the message another process prints; the lock is what counts
        }
        return new DiskTransport(settings, storage, channel, lock);
    }

    public DiskSettings settings() {
        return settings;
    }

    /** The sending end of {@code edge}, for the sender's output port. Opens (and recovers) the edge's log. */
    public synchronized <T> RemoteLink<T> sendingLink(DiskEdge edge, DiskCodec<T> codec) {
        return new DiskSendingLink<>(edge, codec, log(edge));
    }

    /** The receiving end of {@code edge}: a source to add to the pipeline, feeding the receiving port. */
    public synchronized <T> DiskReceiver<T> receiver(DiskEdge edge, DiskCodec<T> codec) {
        return receiver(edge, codec, DEFAULT_PREFETCH);
    }

    /** As {@link #receiver(DiskEdge, DiskCodec)} with {@code prefetch} records read ahead at most. */
    public synchronized <T> DiskReceiver<T> receiver(DiskEdge edge, DiskCodec<T> codec, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
        }
        return new DiskReceiver<>(edge, codec, log(edge), prefetch, settings.commitInterval());
    }

    /** The directory of {@code edge}'s log. */
    public Path directoryOf(DiskEdge edge) {
        return settings.dataDirectory().resolve(edge.directoryName());
    }

    private DiskLog log(DiskEdge edge) {
        if (closed) {
            throw new IllegalStateException("the disk transport of " + settings.dataDirectory() + " is closed");
        }
        Opened opened = logs.get(edge.directoryName());
        if (opened != null) {
            if (!opened.edge().equals(edge)) {
                throw new IllegalArgumentException("two different edges share the log " + edge.directoryName() + ": "
                        + opened.edge() + " and " + edge);
            }
            return opened.log();
        }
        Path dir = directoryOf(edge);
        try {
            DiskLog log = DiskLog.open(storage.open(dir), settings.limits(edge));
            logs.put(edge.directoryName(), new Opened(edge, log));
            return log;
        } catch (IOException e) {
            throw new DiskTransportException(
                    "cannot open the log of " + edge.describe() + " in " + dir + ": " + DiskLog.describeFailure(e), e);
        }
    }

    /** Writes what is queued, closes every log and releases the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Opened o : logs.values()) {
            o.log().close();
        }
        logs.clear();
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static @Nullable String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            int n = channel.read(buffer, 0);
            String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return text.matches("\\d+") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it that matters
        }
    }
}
