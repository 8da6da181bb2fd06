package dev.portflow.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LogStorage} in memory that knows what a power loss keeps: a file's bytes survive only up
 * to its last {@link LogFile#force()}, a name (created or deleted) only once the directory was
 * synced. {@link #crash(Random)} freezes this storage (every later call fails, as for a machine
 * that lost power) and returns what the disk holds when the machine comes back: the forced bytes of
 * each durable name, plus a random part of what was written after the force (writes may reach the
 * disk partly, so the tail can be cut anywhere; an overwrite in place may be torn).
 *
 * <p>Faults: {@link #limitBytes} makes writes past a total fail with "No space left on device"
 * after writing what fits; {@link #failWith} makes every write, create and truncate fail with a
 * message (e.g. "Read-only file system"). Timing: {@link #holdForces} keeps every force waiting until
 * {@link #releaseForces}, and {@link #slowForces} makes each take a random time; like a real fsync,
 * neither wait ends on an interrupt.
 */
final class SimulatedStorage implements LogStorage {

    private final Object lock = new Object();
    private final Map<String, SimFile> files = new HashMap<>();
    private Map<String, SimFile> durableNames = new HashMap<>();
    private long limit = Long.MAX_VALUE;
    private @Nullable String failure;
    private boolean crashed;
    private @Nullable Random crashInWrite; // armed: the next write is cut short by the power loss
    private @Nullable SimulatedStorage survivor; // what that power loss left
    private volatile @Nullable CountDownLatch forceGate; // set: forces wait for it
    private final AtomicInteger forcesHeld = new AtomicInteger();
    private volatile long maxForceNanos; // > 0: each force takes up to this long

    /** One file: what it holds now and what survives a crash. */
    private static final class SimFile {
        byte[] current = new byte[0];
        byte[] durable = new byte[0];
    }

    @Override
    public String describe() {
        return "sim";
    }

    /** Total bytes written beyond which writes fail with "No space left on device". */
    void limitBytes(long bytes) {
        synchronized (lock) {
            limit = bytes;
        }
    }

    /** Makes writes, creates and truncates fail with {@code message} ({@code null}: they work again). */
    void failWith(@Nullable String message) {
        synchronized (lock) {
            failure = message;
        }
    }

    /** Makes every force wait (uninterruptibly) until {@link #releaseForces()}. */
    void holdForces() {
        forceGate = new CountDownLatch(1);
    }

    /** Lets the forces held by {@link #holdForces()} go on. */
    void releaseForces() {
        CountDownLatch gate = forceGate;
        forceGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** How many forces wait for {@link #releaseForces()} now. */
    int forcesHeld() {
        return forcesHeld.get();
    }

    /** Makes each force take a random time up to {@code maxNanos} (0: none), uninterruptibly. */
    void slowForces(long maxNanos) {
        maxForceNanos = maxNanos;
    }

    private void waitBeforeForce() {
        CountDownLatch gate = forceGate;
        boolean interrupted = false;
        if (gate != null) {
            forcesHeld.incrementAndGet();
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            forcesHeld.decrementAndGet();
        }
        long max = maxForceNanos;
        if (max > 0) {
            long end = System.nanoTime() + ThreadLocalRandom.current().nextLong(max);
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bytes all files hold now. */
    long usedBytes() {
        synchronized (lock) {
            long used = 0;
            for (SimFile f : files.values()) {
                used += f.current.length;
            }
            return used;
        }
    }

    /** The current content of {@code name} (for tests that damage it). */
    byte[] content(String name) {
        synchronized (lock) {
            return Objects.requireNonNull(files.get(name), name).current.clone();
        }
    }

    /** Replaces the content of {@code name}, durably, as a disk going bad under the log would. */
    void damage(String name, byte[] content) {
        synchronized (lock) {
            SimFile f = Objects.requireNonNull(files.get(name), name);
            f.current = content.clone();
            f.durable = content.clone();
        }
    }

    /**
     * Arms a power loss inside the next write: it writes a random part of its bytes, then the power
     * goes ({@link #crash}); {@link #survivor()} then holds what the disk kept.
     */
    void crashDuringNextWrite(Random random) {
        synchronized (lock) {
            crashInWrite = random;
        }
    }

    /** What the power loss armed by {@link #crashDuringNextWrite} left, once it happened; else {@code null}. */
    @Nullable
    SimulatedStorage survivor() {
        synchronized (lock) {
            return survivor;
        }
    }

    /** Freezes this storage and returns what a power loss at this instant leaves on the disk. */
    SimulatedStorage crash(Random random) {
        synchronized (lock) {
            crashed = true;
            SimulatedStorage after = new SimulatedStorage();
            for (Map.Entry<String, SimFile> e : durableNames.entrySet()) {
                SimFile f = e.getValue();
                SimFile survived = new SimFile();
                survived.current = survive(f, random);
                survived.durable = survived.current.clone();
                after.files.put(e.getKey(), survived);
            }
            after.durableNames = new HashMap<>(after.files);
            return after;
        }
    }

    /** The forced bytes, with some of the writes since: a cut tail, and overwrites kept up to a random point. */
    private static byte[] survive(SimFile f, Random random) {
        byte[] durable = f.durable;
        byte[] current = f.current;
        if (random.nextBoolean()) {
            return durable.clone(); // nothing of the unforced writes reached the disk
        }
        int common = Math.min(durable.length, current.length);
        byte[] out;
        if (current.length > durable.length) {
            int kept = durable.length + random.nextInt(current.length - durable.length + 1);
            out = Arrays.copyOf(current, kept);
        } else {
            out = durable.clone(); // a truncate not forced: the old bytes come back
        }
        // overwrites in place (not forced) reach the disk up to a random byte: a torn write
        int cut = random.nextInt(common + 1);
        for (int i = 0; i < common; i++) {
            out[i] = i < cut ? current[i] : durable[i];
        }
        return out;
    }

    private void check(boolean writing) throws IOException {
        if (crashed) {
            throw new IOException("the machine lost power");
        }
        if (writing && failure != null) {
            throw new IOException(failure);
        }
    }

    @Override
    public List<String> list() throws IOException {
        synchronized (lock) {
            check(false);
            return new ArrayList<>(files.keySet());
        }
    }

    @Override
    public LogFile open(String name, boolean create) throws IOException {
        synchronized (lock) {
            check(false);
            SimFile f = files.get(name);
            if (f == null) {
                if (!create) {
                    throw new NoSuchFileException(name);
                }
                check(true);
                f = new SimFile();
                files.put(name, f);
            }
            return new Handle(f);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        synchronized (lock) {
            check(true);
            files.remove(name);
        }
    }

    @Override
    public void syncDirectory() throws IOException {
        synchronized (lock) {
            check(false);
            durableNames = new HashMap<>(files);
        }
    }

    private final class Handle implements LogFile {
        private final SimFile file;

        Handle(SimFile file) {
            this.file = file;
        }

        @Override
        public long size() throws IOException {
            synchronized (lock) {
                check(false);
                return file.current.length;
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (lock) {
                check(false);
                if (position >= file.current.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), file.current.length - position);
                dst.put(file.current, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (lock) {
                check(true);
                Random cut = crashInWrite;
                if (cut != null) {
                    crashInWrite = null;
                    byte[] part = new byte[cut.nextInt(src.remaining())];
                    src.get(part);
                    place(part, position);
                    survivor = crash(cut);
                    throw new IOException("the machine lost power in the middle of a write");
                }
                int n = src.remaining();
                long end = position + n;
                long growth = Math.max(0, end - file.current.length);
                long room = limit - usedBytes();
                if (growth > room) {
                    // what fits is written, as a real write that runs out of space part way
                    int fits = (int) Math.max(0, room + (file.current.length - position));
                    fits = Math.min(fits, n);
                    byte[] part = new byte[fits];
                    src.get(part);
                    place(part, position);
                    throw new IOException("No space left on device");
                }
                byte[] bytes = new byte[n];
                src.get(bytes);
                place(bytes, position);
            }
        }

        private void place(byte[] bytes, long position) {
            int end = (int) position + bytes.length;
            if (end > file.current.length) {
                file.current = Arrays.copyOf(file.current, end);
            }
            System.arraycopy(bytes, 0, file.current, (int) position, bytes.length);
        }

        @Override
        public void force() throws IOException {
            waitBeforeForce();
            synchronized (lock) {
                check(false);
                file.durable = file.current.clone();
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (lock) {
                check(true);
                if (size < file.current.length) {
                    file.current = Arrays.copyOf(file.current, (int) size);
                }
            }
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
