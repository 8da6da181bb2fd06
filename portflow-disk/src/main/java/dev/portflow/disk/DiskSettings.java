package dev.portflow.disk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where durable connections keep their logs and how they write them. Immutable; the {@code with}
 * methods return a copy.
 *
 * <ul>
 *   <li>{@code dataDirectory}: one subdirectory per connection, and a {@code .lock} file that keeps
 *       a second process out;
 *   <li>{@code groupCommit} (default 0): how long the writer waits for more records before a write
 *       and its fsync. With 0 a batch is whatever arrived during the previous fsync, which already
 *       groups concurrent senders; a wait only adds latency unless senders arrive in bursts;
 *   <li>{@code segmentBytes} (default 16 MiB): a log's files roll at this size, and a file is
 *       deleted once all its records are done with; capped at a quarter of an edge's
 *       {@code max_bytes}, so consumed records always leave room;
 *   <li>{@code retry} (default 250 ms): while the disk refuses writes, how often a send tries again;
 *   <li>{@code commitInterval} (default 100 ms): how often the receiving side makes its position
 *       durable; a crash redelivers at most the records finished since.
 * </ul>
 */
public final class DiskSettings {

    /** The default data directory of a pipeline: {@code ./portflow-data/<pipeline>}. */
    public static Path defaultDataDirectory(String pipeline) {
        return Path.of("portflow-data", pipeline);
    }

    private final Path dataDirectory;
    private final Duration groupCommit;
    private final long segmentBytes;
    private final Duration retry;
    private final Duration commitInterval;

    private DiskSettings(
            Path dataDirectory, Duration groupCommit, long segmentBytes, Duration retry, Duration commitInterval) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.groupCommit = requireAtLeast(groupCommit, Duration.ZERO, "groupCommit");
        this.retry = requireAtLeast(retry, Duration.ofMillis(1), "retry");
        this.commitInterval = requireAtLeast(commitInterval, Duration.ZERO, "commitInterval");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, was " + segmentBytes);
        }
        this.segmentBytes = segmentBytes;
    }

    /** Defaults, with the logs under {@code dataDirectory}. */
    public static DiskSettings of(Path dataDirectory) {
        return new DiskSettings(
                dataDirectory, Duration.ZERO, 16L << 20, Duration.ofMillis(250), Duration.ofMillis(100));
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Duration groupCommit() {
        return groupCommit;
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    public Duration retry() {
        return retry;
    }

    public Duration commitInterval() {
        return commitInterval;
    }

    public DiskSettings withGroupCommit(Duration wait) {
        return new DiskSettings(dataDirectory, wait, segmentBytes, retry, commitInterval);
    }

    public DiskSettings withSegmentBytes(long bytes) {
        return new DiskSettings(dataDirectory, groupCommit, bytes, retry, commitInterval);
    }

    public DiskSettings withRetry(Duration every) {
        return new DiskSettings(dataDirectory, groupCommit, segmentBytes, every, commitInterval);
    }

    public DiskSettings withCommitInterval(Duration every) {
        return new DiskSettings(dataDirectory, groupCommit, segmentBytes, retry, every);
    }

    /** The log limits of {@code edge} under these settings. */
    DiskLog.Limits limits(DiskEdge edge) {
        return new DiskLog.Limits(
                edge.capacity(),
                edge.maxBytes(),
                Math.min(segmentBytes, edge.maxBytes() / 4),
                groupCommit.toNanos(),
                retry.toNanos());
    }

    private static Duration requireAtLeast(Duration d, Duration min, String name) {
        Objects.requireNonNull(d, name);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "DiskSettings[" + dataDirectory + ", groupCommit " + groupCommit + ", segmentBytes " + segmentBytes
                + ", retry " + retry + ", commitInterval " + commitInterval + "]";
    }
}
