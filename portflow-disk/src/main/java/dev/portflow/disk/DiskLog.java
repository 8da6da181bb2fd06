package dev.portflow.disk;

import dev.portflow.metrics.RemoteBuffer;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One connection's durable buffer: an append-only log of segments in one directory. As a
 * {@link RemoteBuffer} it is what both ends of the edge report: depth is the records accepted and
 * not yet done with.
 *
 * <p><b>Appends</b> come from any number of senders and are written with group commit by one of
 * them at a time, the <i>leader</i>: it takes every record queued so far, writes them in one write,
 * forces the file once, and only then tells their senders they are accepted. Records queued while
 * it writes form the next batch, and the leader hands the lead to one of their senders. Under load
 * a batch is what arrived during the previous fsync, so no sender waits longer than the fsync in
 * progress plus its own ({@code groupCommit} adds an optional wait for more). A lone sender writes
 * its own record without a hand-off to another thread; that is why there is no writer thread. The
 * state only a writer touches ({@link #nextSeq}, the write buffer, {@link Segment#broken}) belongs to
 * the leader: the lead passes under {@code lock}, which orders one leader's writes before the next. Room is reserved under one lock before a
 * record is queued, so the records live in the log plus those queued never exceed the capacity,
 * and the bytes on disk plus those queued never exceed {@code maxBytes}.
 *
 * <p><b>A failed write</b> (a full disk, a read-only file system, an I/O error) refuses the whole
 * batch: the file is cut back to where the batch started, so no record of it is ever delivered, and
 * the log reports itself unavailable with the reason. Senders are then refused at once (the port's
 * overflow policy treats that as full) except one every {@code retry}, whose write probes whether
 * the disk takes data again; the first that succeeds makes the log available. Sequence numbers of a
 * refused batch are never reused (if the file could not be cut back, the next batch goes to a new
 * segment, and a restart's recovery sees the stale bytes only as records nobody was told were
 * accepted).
 *
 * <p><b>Reading</b> ({@link Cursor}) goes only as far as a leader has forced ({@link Segment#size}
 * is published after the force), so nothing is delivered that a crash could take back, and the
 * position committed ({@link PositionFile}) never passes what is durable.
 *
 * <p><b>Recovery</b> ({@link #open}) scans every segment from the committed position on: a record cut
 * short at the end of the last segment is truncated (counted in {@link #bytesTruncated()}), damaged
 * bytes elsewhere are reported with their place and stepped over, and the records after them are
 * still delivered.
 */
final class DiskLog implements RemoteBuffer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portflow.disk");
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.log");
    /**
     * With a group-commit wait, the leader stops waiting once its batch holds this much. A batch is
     * always written whole: what was queued, at most the capacity's worth of records.
     */
    private static final int MAX_BATCH_BYTES = 4 << 20;
    /**
     * A segment file is extended with zeros this far past its records (never past the segment
     * size), and records are then written over the zeros: forcing an overwrite of blocks that exist
     * is a data flush only, while forcing a write that grows the file must also commit the new size
     * to the file system's journal. The journal commit is then paid once per extension instead of at
     * every group commit (docs/disk-transport.md, "Preallocation").
     */
    static final int PREALLOCATION = 1 << 20;

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    /** How much the log may hold and how it commits; see {@link DiskSettings} for the meaning. */
    record Limits(long capacity, long maxBytes, long segmentBytes, long groupCommitNanos, long retryNanos) {
        Limits {
            if (capacity < 1 || maxBytes < 1 || segmentBytes < 1 || groupCommitNanos < 0 || retryNanos < 1) {
                throw new IllegalArgumentException("invalid log limits " + this);
            }
        }
    }

    /** What {@link #append} did. */
    enum Append {
        /** The record is forced to disk. */
        ACCEPTED,
        /** The log holds its capacity in records, or its bytes would pass {@code maxBytes}. */
        FULL,
        /** The disk refuses writes ({@link #unavailableReason()} says why); nothing was written. */
        UNAVAILABLE,
        /** The log is closed. */
        CLOSED
    }

    /** One file of the log: the records from {@code firstSeq} on, until the next segment's first. */
    static final class Segment {
        final long firstSeq;
        final String name;
        final LogFile file;
        /** Bytes forced: every frame up to here is whole and durable. Written by the leader after the force. */
        volatile long size;
        /** Records in it that are not yet delivered or lost: those found at recovery plus those appended. */
        final AtomicLong records = new AtomicLong();
        /** Where recovery found damage (reported then, so the reader stays quiet about it). */
        final Set<Long> knownDamage = new HashSet<>();
        /** A failed write could not be cut back: the leader appends no more here (the leader's). */
        boolean broken;
        /** The file's length: the records, then zeros written ahead of them (the leader's). */
        long allocated;

        Segment(long firstSeq, LogFile file, long size) {
            this.firstSeq = firstSeq;
            this.name = segmentName(firstSeq);
            this.file = file;
            this.size = size;
            this.allocated = size;
        }
    }

    /** A record waiting to be written. */
    private static final class Entry {
        final byte[] payload;
        final byte @Nullable [] trace;
        final long originEpochNanos;
        final long appendedEpochNanos;
        /** The sender waiting for this record; {@code null} once it gave up waiting (guarded by lock). */
        volatile @Nullable Thread waiter;

        Entry(byte[] payload, byte @Nullable [] trace, long originEpochNanos, long appendedEpochNanos, Thread waiter) {
            this.payload = payload;
            this.trace = trace;
            this.originEpochNanos = originEpochNanos;
            this.appendedEpochNanos = appendedEpochNanos;
            this.waiter = waiter;
        }
    }

    /** The records one write and one force cover; their senders wait on it. */
    private static final class Batch {
        final List<Entry> entries = new ArrayList<>(); // guarded by lock until the leader takes the batch
        long bytes; // guarded by lock, as entries
        /** The sender chosen to write this batch (guarded by lock; read without it as a hint only). */
        volatile @Nullable Thread leader;

        private @Nullable String failure; // published by done
        private volatile boolean done;

        /** Publishes the outcome ({@code null}: durable) and wakes every sender still waiting. */
        void finish(@Nullable String why) {
            failure = why;
            done = true;
            for (Entry e : entries) {
                Thread t = e.waiter;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    private final LogStorage storage;
    private final Limits limits;
    private final PositionFile positionFile;
    private final CopyOnWriteArrayList<Segment> segments = new CopyOnWriteArrayList<>();
    private final long recoveredRecords;
    private final long recoveredBytesTruncated;

    // Appends: guarded by lock.
    private final Object lock = new Object();
    private Batch filling = new Batch();
    private boolean leading; // a sender holds the lead: it writes, or is woken to write, filling
    private boolean lingering; // the leader waits for more records (groupCommit): notify lock on append
    private long queuedRecords;
    private long queuedBytes;
    private long liveRecords; // durable and not yet released by the reader
    private @Nullable String unavailable; // why the last write failed; null when the last one succeeded
    private long retryAt; // with unavailable: when the next sender may probe
    private boolean closed;

    private final AtomicLong bytesOnDisk = new AtomicLong(); // written by the leader (+) and by commits (-)
    private volatile @Nullable String unavailableReason; // unavailable, for readers without the lock
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong damagedRegions = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicLong recordsLost = new AtomicLong();
    private volatile @Nullable Timer fsyncTimer;

    private final Object readable = new Object(); // the reader waits here for newly forced records
    private final Object room = new Object(); // senders wait here for room
    private volatile long cursorSegment = Long.MAX_VALUE; // first seq of the segment the cursor reads
    private volatile @Nullable Cursor cursor; // the reader, whose file close() closes
    private long nextSeq; // the leader's (set by open before)
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024); // the leader's

    private DiskLog(LogStorage storage, Limits limits, PositionFile positionFile, Recovery recovery) {
        this.storage = storage;
        this.limits = limits;
        this.positionFile = positionFile;
        this.segments.addAll(recovery.segments);
        this.nextSeq = recovery.nextSeq;
        this.liveRecords = recovery.records;
        this.recoveredRecords = recovery.records;
        this.recoveredBytesTruncated = recovery.bytesTruncated;
        this.damagedRegions.set(recovery.damaged);
        this.bytesSkipped.set(recovery.bytesSkipped);
        long bytes = 0;
        for (Segment s : segments) {
            bytes += s.size;
        }
        this.bytesOnDisk.set(bytes);
    }

    /** Opens the log in {@code storage}: recovers what is there (see the class comment). */
    static DiskLog open(LogStorage storage, Limits limits) throws IOException {
        PositionFile position = PositionFile.open(storage);
        if (position.damaged()) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "the committed position in " + storage.describe()
                            + " is damaged (both copies fail their checksum): delivering the log from its start");
        }
        Recovery recovery;
        try {
            recovery = Recovery.run(storage, position.position());
        } catch (IOException | RuntimeException e) {
            position.close();
            throw e;
        }
        return new DiskLog(storage, limits, position, recovery);
    }

    /** The name of the segment whose first record is {@code firstSeq}. */
    static String segmentName(long firstSeq) {
        return String.format(Locale.ROOT, "%020d.log", firstSeq);
    }

    // ---------------------------------------------------------------------------------------------
    // Sending side

    /**
     * Appends one record and waits until it is forced to disk.
     *
     * @throws IllegalArgumentException if the payload is larger than a record may be, or than
     *     {@code maxBytes} allows
     */
    Append append(byte[] payload, long originEpochNanos, long appendedEpochNanos) throws InterruptedException {
        return append(payload, null, originEpochNanos, appendedEpochNanos);
    }

    /**
     * As {@link #append(byte[], long, long)}, for a record that carries a trace context ({@code trace}:
     * {@link RecordFrame#TRACE_BYTES} bytes, see {@link RecordTrace}) or, when it is null, none.
     */
    Append append(byte[] payload, byte @Nullable [] trace, long originEpochNanos, long appendedEpochNanos)
            throws InterruptedException {
        int size = RecordFrame.size(payload.length, trace != null);
        if (payload.length > RecordFrame.MAX_PAYLOAD || size > limits.maxBytes()) {
            throw new IllegalArgumentException(
                    "a message of " + payload.length + " bytes does not fit in a record (at most "
                            + Math.min(RecordFrame.MAX_PAYLOAD, limits.maxBytes() - RecordFrame.size(0)) + " bytes)");
        }
        Thread me = Thread.currentThread();
        Entry entry = new Entry(payload, trace, originEpochNanos, appendedEpochNanos, me);
        Batch batch;
        synchronized (lock) {
            if (closed) {
                return Append.CLOSED;
            }
            if (unavailable != null) {
                long now = System.nanoTime();
                if (now - retryAt < 0) {
                    return Append.UNAVAILABLE;
                }
                retryAt = now + limits.retryNanos(); // this record is the probe; others wait for its outcome
            }
            if (liveRecords + queuedRecords >= limits.capacity()
                    || bytesOnDisk.get() + queuedBytes + size > limits.maxBytes()) {
                return Append.FULL;
            }
            batch = filling;
            batch.entries.add(entry);
            batch.bytes += size;
            queuedRecords++;
            queuedBytes += size;
            if (!leading) {
                leading = true;
                batch.leader = me;
            } else if (lingering) {
                lock.notifyAll(); // the leader waits for more
            }
        }
        return awaitOrLead(batch, entry) == null ? Append.ACCEPTED : Append.UNAVAILABLE;
    }

    /**
     * Waits until {@code batch} is written, writing it (and maybe later batches) if this sender is
     * or becomes the leader; {@code null} when it is durable, else why it failed.
     *
     * <p>An interrupted sender leaves at once, unless it holds the lead: then it writes first, since
     * the other senders wait for it, and keeps the interrupt set. A sender that left is no longer
     * chosen as a leader; its record may still be written (and delivered) though it was told
     * nothing, as at-least-once allows.
     */
    private @Nullable String awaitOrLead(Batch batch, Entry entry) throws InterruptedException {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (!batch.done) {
            if (batch.leader == me) {
                lead();
                continue;
            }
            LockSupport.park(this);
            if (Thread.interrupted()) {
                synchronized (lock) {
                    if (!batch.done && batch.leader != me) {
                        entry.waiter = null;
                        throw new InterruptedException();
                    }
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
        return batch.failure;
    }

    /**
     * Waits until an append may succeed (room, or a write to probe the disk with) or the deadline
     * passes; {@code false} if the deadline passed first.
     */
    boolean awaitRoom(long deadlineNanos) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            long wakeAt = deadlineNanos;
            synchronized (lock) {
                if (closed) {
                    return true; // the next append says CLOSED
                }
                if (unavailable != null) {
                    if (now - retryAt >= 0) {
                        return true;
                    }
                    if (retryAt - deadlineNanos < 0) {
                        wakeAt = retryAt;
                    }
                } else if (liveRecords + queuedRecords < limits.capacity()
                        && bytesOnDisk.get() + queuedBytes + RecordFrame.size(0) <= limits.maxBytes()) {
                    return true;
                }
            }
            if (now - deadlineNanos >= 0) {
                return false;
            }
            synchronized (room) {
                // room is notified after every change that can make room; the timeout bounds a missed one
                long waitNanos = Math.min(wakeAt - now, TimeUnit.MILLISECONDS.toNanos(50));
                if (waitNanos > 0) {
                    TimeUnit.NANOSECONDS.timedWait(room, waitNanos);
                }
            }
        }
    }

    @Override
    public String transport() {
        return DiskTransport.TRANSPORT;
    }

    /** Records live (forced, not yet released by the reader) plus those queued to be written. */
    @Override
    public long depth() {
        synchronized (lock) {
            return liveRecords + queuedRecords;
        }
    }

    @Override
    public long capacity() {
        return limits.capacity();
    }

    /** Why the disk refuses writes now, or {@code null} when the last write succeeded. */
    @Override
    public @Nullable String unavailableReason() {
        return unavailableReason;
    }

    // ---------------------------------------------------------------------------------------------
    // Writing: the leader

    /**
     * Writes {@code filling} as its leader, then passes the lead to a sender of the records queued
     * meanwhile, or gives it up when there are none. Keeps it while none of them is left waiting.
     */
    private void lead() {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (true) {
            Batch batch;
            synchronized (lock) {
                try {
                    lingerForMore();
                } catch (InterruptedException e) {
                    interrupted = true; // the batch is written all the same: its senders wait for it
                }
                batch = filling;
                filling = new Batch();
            }
            // An interrupt during the write would close the file (FileLogStorage reopens it, but
            // nothing is gained): it is held back until the batch is written.
            interrupted |= Thread.interrupted();
            String failure = write(batch);
            interrupted |= Thread.interrupted();
            Thread next = null;
            boolean keep = false;
            synchronized (lock) {
                queuedRecords -= batch.entries.size();
                queuedBytes -= batch.bytes;
                if (failure == null) {
                    liveRecords += batch.entries.size();
                    unavailable = null;
                } else if (unavailable == null) {
                    unavailable = failure;
                    retryAt = System.nanoTime() + limits.retryNanos();
                }
                unavailableReason = unavailable;
                if (filling.entries.isEmpty()) {
                    leading = false;
                    if (closed) {
                        lock.notifyAll(); // close() waits for the last write
                    }
                } else {
                    next = firstWaiter(filling);
                    keep = next == null;
                    filling.leader = keep ? me : next;
                }
            }
            if (next != null) {
                // first: the next batch's write then runs on another core while this thread wakes
                // the senders below, instead of queueing behind them for a core
                LockSupport.unpark(next);
            }
            batch.finish(failure);
            wakeSenders();
            if (failure == null) {
                synchronized (readable) {
                    readable.notifyAll();
                }
            }
            if (!keep) {
                break;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /** The first sender still waiting for a record of {@code batch}, or {@code null}. Holds lock. */
    private static @Nullable Thread firstWaiter(Batch batch) {
        for (Entry e : batch.entries) {
            Thread t = e.waiter;
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** With a group-commit wait: waits (holding nothing but the wait) for more records, within bounds. */
    private void lingerForMore() throws InterruptedException {
        long wait = limits.groupCommitNanos();
        if (wait <= 0) {
            return;
        }
        long deadline = System.nanoTime() + wait;
        lingering = true;
        try {
            long left;
            while (!closed && filling.bytes < MAX_BATCH_BYTES && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } finally {
            lingering = false;
        }
    }

    /** Writes and forces one batch; {@code null} when it is durable, else why not (the batch is refused). */
    private @Nullable String write(Batch batch) {
        Segment segment = null;
        long start = 0;
        long firstSeq = nextSeq;
        nextSeq += batch.entries.size(); // burned if the write fails: never reused
        try {
            segment = activeSegment(firstSeq);
            start = segment.size;
            long end = start + batch.bytes;
            segment.file.write(frames(batch, firstSeq), start);
            if (end > segment.allocated) {
                segment.allocated = end;
                long ahead = Math.min(end + PREALLOCATION, limits.segmentBytes()); // none once the segment is full
                if (ahead > end) {
                    try {
                        writeZeros(segment.file, end, ahead);
                        segment.allocated = ahead;
                    } catch (IOException noRoom) {
                        // best effort: a disk too full for the zeros still takes the records
                        segment.file.truncate(end);
                    }
                }
            }
            long before = System.nanoTime();
            segment.file.force();
            Timer timer = fsyncTimer;
            if (timer != null) {
                timer.record(System.nanoTime() - before, TimeUnit.NANOSECONDS);
            }
            segment.records.addAndGet(batch.entries.size());
            segment.size = start + batch.bytes; // publishes the records to the reader
            bytesOnDisk.addAndGet(batch.bytes);
            return null;
        } catch (IOException | RuntimeException e) {
            writeFailures.incrementAndGet();
            String why = describeFailure(e);
            if (segment != null) {
                try {
                    segment.file.truncate(start);
                    segment.allocated = start;
                } catch (IOException | RuntimeException cut) {
                    segment.broken = true;
                }
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not write " + batch.entries.size() + " records to " + storage.describe() + ": " + why
                            + " (refused; retrying every " + TimeUnit.NANOSECONDS.toMillis(limits.retryNanos())
                            + " ms)");
            return why;
        }
    }

    /** The segment to append to, rolling to a new one (named {@code firstSeq}) when the last is full or broken. */
    private Segment activeSegment(long firstSeq) throws IOException {
        Segment last = segments.isEmpty() ? null : segments.getLast();
        if (last != null && !last.broken && last.size < limits.segmentBytes()) {
            return last;
        }
        LogFile file = storage.open(segmentName(firstSeq), true);
        try {
            file.truncate(0); // a leftover of an earlier failed attempt under this name
            storage.syncDirectory(); // the name must survive a crash before any record in it is accepted
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        Segment segment = new Segment(firstSeq, file, 0);
        segments.add(segment);
        return segment;
    }

    /** Writes zeros over {@code [from, to)} of {@code file}. */
    private static void writeZeros(LogFile file, long from, long to) throws IOException {
        for (long at = from; at < to; ) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), to - at));
            int n = zeros.remaining();
            file.write(zeros, at);
            at += n;
        }
    }

    /** The offset just after the last byte of {@code [from, to)} that is not zero; {@code from} if all are. */
    static long endOfNonZero(LogFile file, long from, long to) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long end = from;
        long at = from;
        while (at < to) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - at));
            int n = file.read(chunk, at);
            if (n < 0) {
                break;
            }
            for (int i = n - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    end = at + i + 1;
                    break;
                }
            }
            at += n;
        }
        return end;
    }

    private ByteBuffer frames(Batch batch, long firstSeq) {
        if (writeBuffer.capacity() < batch.bytes) {
            writeBuffer = ByteBuffer.allocateDirect((int) Math.max(batch.bytes, 2L * writeBuffer.capacity()));
        }
        ByteBuffer buffer = writeBuffer.clear();
        long seq = firstSeq;
        for (Entry e : batch.entries) {
            RecordFrame.write(buffer, seq++, e.originEpochNanos, e.appendedEpochNanos, e.trace, e.payload);
        }
        return buffer.flip();
    }

    /** A short reason for a failed write: disk full, read-only, or the error's own words. */
    static String describeFailure(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "disk full (" + message + ")";
        }
        if (lower.contains("read-only") || e instanceof AccessDeniedException) {
            return "read-only (" + message + ")";
        }
        return "I/O error (" + message + ")";
    }

    private void wakeSenders() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Receiving side

    /** A reader from the committed position on. The log has one. */
    Cursor cursor() {
        Cursor c = new Cursor(positionFile.position());
        Cursor previous = cursor;
        if (previous != null) {
            previous.closeFile();
        }
        cursor = c;
        return c;
    }

    /** Hands back room for {@code records} records the reader is done with (finished, skipped or lost). */
    void release(long records) {
        if (records <= 0) {
            return;
        }
        synchronized (lock) {
            liveRecords -= records;
        }
        wakeSenders();
    }

    /** The committed position: records below it are done with. */
    long committedPosition() {
        return positionFile.position();
    }

    /**
     * Makes {@code position} durable (every record below it is done with), then deletes the segments
     * that hold only records below it and that the cursor has left.
     */
    void commit(long position) throws IOException {
        positionFile.write(position);
        List<Segment> now = List.copyOf(segments);
        boolean deleted = false;
        for (int i = 0; i + 1 < now.size(); i++) {
            Segment s = now.get(i);
            if (now.get(i + 1).firstSeq > position || s.firstSeq >= cursorSegment) {
                break;
            }
            try {
                s.file.close();
            } catch (IOException ignored) {
                // closing a file we only read from does not lose anything
            }
            storage.delete(s.name);
            segments.remove(s);
            bytesOnDisk.addAndGet(-s.size);
            deleted = true;
        }
        if (deleted) {
            // a deletion that does not survive a crash is redone by the next recovery
            wakeSenders();
        }
    }

    /** Reads the log's records in order, only as far as they are forced. Single-threaded. */
    final class Cursor {
        private final long startPosition;
        private @Nullable Segment segment;
        private @Nullable SegmentScanner scanner;
        private long afterSeq = -1;
        private long delivered; // records of the current segment delivered (or skipped below the start)
        private @Nullable LogFile readFile; // the cursor's own handle on the current segment

        private Cursor(long startPosition) {
            this.startPosition = startPosition;
        }

        /**
         * Up to {@code max} records forced since the last call, in order; damage found on the way is
         * reported (logged and counted) and stepped over. Records below the committed position at
         * the start are skipped. Empty when there is nothing new.
         */
        List<SegmentScanner.Frame> read(int max) throws IOException {
            List<SegmentScanner.Frame> frames = new ArrayList<>();
            while (frames.size() < max) {
                SegmentScanner current = scannerOrNull();
                if (current == null) {
                    break;
                }
                Segment s = Objects.requireNonNull(segment);
                SegmentScanner.Item item = current.next();
                if (item == null) {
                    if (!advance()) {
                        break;
                    }
                    continue;
                }
                switch (item) {
                    case SegmentScanner.Frame f -> {
                        afterSeq = f.seq();
                        if (f.seq() >= startPosition) {
                            delivered++;
                            frames.add(f);
                        }
                    }
                    case SegmentScanner.Damage d -> {
                        if (!s.knownDamage.contains(d.from())) {
                            reportDamage(s, d);
                        }
                    }
                }
            }
            return frames;
        }

        /** Waits up to {@code nanos} for records to be forced, unless some are there to read. */
        void await(long nanos) throws InterruptedException {
            synchronized (readable) { // the leader notifies under this lock after publishing: no missed wake-up
                Segment s = segment;
                SegmentScanner current = scanner;
                boolean waiting = (s == null || current == null)
                        ? segments.isEmpty()
                        : (s.size <= current.position() && segments.indexOf(s) + 1 >= segments.size());
                if (waiting) {
                    TimeUnit.NANOSECONDS.timedWait(readable, nanos);
                }
            }
        }

        /** The scanner of the current segment, extended to its forced size; {@code null} before any segment. */
        private @Nullable SegmentScanner scannerOrNull() throws IOException {
            if (segment == null) {
                Segment first = firstSegmentFrom(startPosition);
                if (first == null) {
                    return null;
                }
                enter(first);
            }
            Segment s = Objects.requireNonNull(segment);
            SegmentScanner current = Objects.requireNonNull(scanner);
            current.extendTo(s.size);
            return current;
        }

        /** Moves to the next segment once the current one is complete; {@code false} if there is none yet. */
        private boolean advance() throws IOException {
            Segment s = Objects.requireNonNull(segment);
            int index = segments.indexOf(s);
            if (index < 0 || index + 1 >= segments.size()) {
                return false;
            }
            // a next segment exists, so the leader is done with this one: its size is final, read it once more
            SegmentScanner current = Objects.requireNonNull(scanner);
            if (s.size > current.position()) {
                return true; // read the rest first
            }
            long lost = s.records.get() - delivered;
            if (lost > 0) {
                recordsLost.addAndGet(lost);
                release(lost);
            }
            enter(segments.get(index + 1));
            return true;
        }

        /** Starts reading {@code s}, through a handle of the cursor's own (see {@link FileLogStorage}). */
        private void enter(Segment s) throws IOException {
            LogFile file = storage.open(s.name, false);
            closeFile();
            readFile = file;
            segment = s;
            cursorSegment = s.firstSeq;
            delivered = 0;
            scanner = new SegmentScanner(file, 0, s.size, Math.max(afterSeq, s.firstSeq - 1));
        }

        private void closeFile() {
            LogFile file = readFile;
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // only read from
                }
            }
            readFile = null;
        }

        private @Nullable Segment firstSegmentFrom(long position) {
            Segment found = null;
            for (Segment s : segments) {
                if (s.firstSeq <= position || found == null) {
                    found = s;
                } else {
                    break;
                }
            }
            return found;
        }
    }

    private void reportDamage(Segment s, SegmentScanner.Damage d) {
        damagedRegions.incrementAndGet();
        bytesSkipped.addAndGet(d.to() - d.from());
        logDamage(storage, s, d);
    }

    /** The ERROR line for damaged bytes, whether recovery or the reader found them. */
    private static void logDamage(LogStorage storage, Segment s, SegmentScanner.Damage d) {
        LOG.log(
                System.Logger.Level.ERROR,
                "damaged data in " + storage.describe() + "/" + s.name + " at bytes " + d.from() + ".." + d.to()
                        + " (checksum or framing fails): skipped; the records after it are delivered");
    }

    // ---------------------------------------------------------------------------------------------
    // Measurements

    void bindFsyncTimer(Timer timer) {
        this.fsyncTimer = timer;
    }

    long bytesOnDisk() {
        return bytesOnDisk.get();
    }

    long recordsRecovered() {
        return recoveredRecords;
    }

    long bytesTruncated() {
        return recoveredBytesTruncated;
    }

    long damagedRegions() {
        return damagedRegions.get();
    }

    long bytesSkipped() {
        return bytesSkipped.get();
    }

    long recordsLost() {
        return recordsLost.get();
    }

    long writeFailures() {
        return writeFailures.get();
    }

    String describe() {
        return storage.describe();
    }

    /**
     * Stops taking appends, waits (at most 30 s) for the records queued to be written, and closes
     * the files. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll(); // a lingering leader writes now
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long left;
            try {
                while (leading && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        wakeSenders();
        for (Segment s : segments) {
            try {
                s.file.close();
            } catch (IOException ignored) {
                // closing after the last force loses nothing
            }
        }
        Cursor reader = cursor;
        if (reader != null) {
            reader.closeFile();
        }
        try {
            positionFile.close();
        } catch (IOException ignored) {
            // every position written was forced
        }
    }

    /** What {@link #open} found: the segments kept, the live records, and what it repaired. */
    private record Recovery(
            List<Segment> segments, long nextSeq, long records, long bytesTruncated, long damaged, long bytesSkipped) {

        static Recovery run(LogStorage storage, long position) throws IOException {
            List<Long> firsts = new ArrayList<>();
            for (String name : storage.list()) {
                Matcher m = SEGMENT_NAME.matcher(name);
                if (m.matches()) {
                    firsts.add(Long.parseLong(m.group(1)));
                }
            }
            firsts.sort(null);
            // segments wholly below the position were consumed (their deletion did not survive a crash)
            List<Long> kept = new ArrayList<>();
            for (int i = 0; i < firsts.size(); i++) {
                if (i + 1 < firsts.size() && firsts.get(i + 1) <= position) {
                    storage.delete(segmentName(firsts.get(i)));
                } else {
                    kept.add(firsts.get(i));
                }
            }
            List<Segment> segments = new ArrayList<>();
            long lastSeq = -1;
            long records = 0;
            long truncated = 0;
            long damaged = 0;
            long skipped = 0;
            try {
                for (int i = 0; i < kept.size(); i++) {
                    long first = kept.get(i);
                    boolean last = i == kept.size() - 1;
                    LogFile file = storage.open(segmentName(first), false);
                    Segment segment = new Segment(first, file, file.size());
                    segments.add(segment);
                    SegmentScanner scanner = new SegmentScanner(file, 0, segment.size, Math.max(lastSeq, first - 1));
                    for (SegmentScanner.Item item = scanner.next(); item != null; item = scanner.next()) {
                        switch (item) {
                            case SegmentScanner.Frame f -> {
                                if (f.seq() >= position) {
                                    segment.records.incrementAndGet();
                                    records++;
                                }
                            }
                            case SegmentScanner.Damage d -> {
                                // after the last record: zeros are preallocated space, other bytes a write cut short
                                long torn = d.toEnd() ? endOfNonZero(file, d.from(), d.to()) - d.from() : -1;
                                if (torn == 0) {
                                    segment.size = d.from(); // the zeros stay, to be written over
                                } else if (last && d.toEnd()) {
                                    file.truncate(d.from());
                                    file.force();
                                    truncated += torn;
                                    segment.size = d.from();
                                    segment.allocated = d.from();
                                    LOG.log(
                                            System.Logger.Level.WARNING,
                                            "truncated " + torn + " bytes at the end of "
                                                    + storage.describe() + "/" + segment.name + " (from byte "
                                                    + d.from() + "): a write cut short by a crash, never acknowledged");
                                } else {
                                    damaged++;
                                    skipped += d.to() - d.from();
                                    segment.knownDamage.add(d.from());
                                    logDamage(storage, segment, d);
                                }
                            }
                        }
                    }
                    lastSeq = Math.max(lastSeq, scanner.lastSeq());
                }
            } catch (IOException | RuntimeException e) {
                for (Segment s : segments) {
                    try {
                        s.file.close();
                    } catch (IOException ignored) {
                        // failing anyway
                    }
                }
                throw e;
            }
            long nextSeq = Math.max(lastSeq + 1, position);
            if (!segments.isEmpty()) {
                nextSeq = Math.max(nextSeq, segments.getLast().firstSeq);
            }
            if (records > 0 || truncated > 0) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "recovered " + records + " records not yet done with in " + storage.describe()
                                + (truncated > 0 ? " (" + truncated + " bytes of a cut-short write truncated)" : ""));
            }
            return new Recovery(segments, nextSeq, records, truncated, damaged, skipped);
        }
    }
}
