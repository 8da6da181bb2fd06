package dev.portflow.bench;

import dev.portflow.disk.DiskCodec;
import dev.portflow.disk.DiskEdge;
import dev.portflow.disk.DiskReceiver;
import dev.portflow.disk.DiskSettings;
import dev.portflow.disk.DiskTransport;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.RemoteLink;
import dev.portflow.runtime.Pipeline;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Records per second through a disk edge (issue 15's acceptance point) against a raw
 * {@link FileChannel} write + {@code force(false)} loop with the same group size, on the same disk,
 * in the same run. Not a JMH benchmark: each round is seconds of wall time against a real file.
 *
 * <pre>
 * java -cp benchmarks.jar dev.portflow.bench.DiskEdgeThroughput [--seconds=6] [--rounds=8] [--senders=1,64]
 *      [--threads=virtual|platform]
 *      [--warmup=3] [--base=portflow-bench/target/disk-bench] [--out=portflow-bench/target/disk] [--stamp=NAME]
 * </pre>
 *
 * For each sender count, after a short warm-up of both, it runs {@code rounds} pairs of an edge and
 * a raw round, edge first in odd rounds and raw first in even ones (so a drifting disk favours
 * neither); rounds are short and many because this VM's fsync latency drifts by 2x within minutes:
 *
 * <ul>
 *   <li><b>edge</b>: a fresh {@link DiskTransport} in a new temporary directory under {@code base};
 *       {@code senders} threads each call {@code link.offer(record, System.nanoTime(), NOT_PIPELINED)} on
 *       the edge's sending link in a loop (one pre-built {@link Order} each, about 100 bytes of JSON
 *       through {@link DiskCodec#json}); a receiving pipeline ({@link DiskReceiver} -> a counting
 *       sink, with a {@link SimpleMeterRegistry}) drains it, so the capacity (1,000,000 records,
 *       4 GiB) never fills. After a ramp of one second it measures accepted records/s over
 *       {@code seconds}, and the mean group size G = records / fsyncs, the fsyncs counted by the
 *       edge's {@code portflow.disk.fsync.duration} timer;
 *   <li><b>raw</b>: one thread appending batches of round(G) frames (G from the latest edge round,
 *       of its own pair or the one before) of the same size as the edge's (the same payload bytes plus the 33 bytes of frame
 *       overhead, CRC32C computed once) to a new file in the same directory, one {@code write} and
 *       one {@code force(false)} per batch, measured the same way.
 * </ul>
 *
 * <p>Senders are virtual threads by default, as Portflow runs them: every component's workers and
 * sources, and the HTTP ingress's request handlers, are virtual threads. {@code --threads=platform}
 * measures platform threads instead; waking 64 of them after each fsync costs a futex call and a
 * context switch each, which on 2 cores is most of the gap to the raw loop.
 *
 * <p>Prints a line per round, then per sender count the medians, the ratio edge / raw (of the medians,
 * and the median of the per-pair ratios) against the 80 % target, and where a group commit's time
 * goes: wall time per group commit (window / fsyncs) against {@code force} alone, so the rest is
 * what the edge spends outside the fsync (framing, the write, waking senders, scheduling). fsync p50/p99 come from buckets
 * 10 % apart (interpolated), the edge's from its fsync timer, the raw loop's from its own timing of
 * {@code force}. {@code cpu} is this process's CPU time over the window as a share of all cores;
 * {@code iowait} and {@code steal} are the host's ({@code /proc/stat}). With {@code --out} it also
 * writes {@code disk-<time>.tsv} (one row per round) and {@code disk-<time>.md} (the summary).
 */
public final class DiskEdgeThroughput {

    /** The message sent: about 100 bytes of JSON. */
    public record Order(String id, long customer, double amount, String currency, String note) {}

    private static final String FSYNC_TIMER = "portflow.disk.fsync.duration";
    /** Frame overhead of a disk record: 8-byte header + 25-byte fixed body (RecordFrame). */
    static final int FRAME_OVERHEAD = 8 + 1 + 8 + 8 + 8;

    private static final double[] BUCKETS_NANOS = buckets();

    private DiskEdgeThroughput() {}

    /** Options from {@code --key=value} arguments. */
    private record Options(
            int seconds,
            int rounds,
            List<Integer> senders,
            boolean virtualThreads,
            int warmupSeconds,
            Path base,
            @Nullable Path out,
            @Nullable String stamp) {

        static Options parse(String[] args) {
            int seconds = 6;
            int rounds = 8;
            List<Integer> senders = List.of(1, 64);
            boolean virtual = true;
            int warmup = 3;
            Path base = Path.of("portflow-bench/target/disk-bench");
            Path out = null;
            String stamp = null;
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("arguments are --key=value, not " + arg);
                }
                String key = arg.substring(2, eq);
                String value = arg.substring(eq + 1);
                switch (key) {
                    case "seconds" -> seconds = Integer.parseInt(value);
                    case "rounds" -> rounds = Integer.parseInt(value);
                    case "senders" ->
                        senders = Arrays.stream(value.split(","))
                                .map(s -> Integer.parseInt(s.trim()))
                                .toList();
                    case "threads" ->
                        virtual = switch (value) {
                            case "virtual" -> true;
                            case "platform" -> false;
                            default ->
                                throw new IllegalArgumentException("--threads is virtual or platform, not " + value);
                        };
                    case "warmup" -> warmup = Integer.parseInt(value);
                    case "base" -> base = Path.of(value);
                    case "out" -> out = Path.of(value);
                    case "stamp" -> stamp = value;
                    default -> throw new IllegalArgumentException("unknown option --" + key);
                }
            }
            if (seconds < 1 || rounds < 1 || warmup < 0 || senders.isEmpty()) {
                throw new IllegalArgumentException("seconds and rounds must be >= 1, warmup >= 0");
            }
            return new Options(seconds, rounds, senders, virtual, warmup, base, out, stamp);
        }
    }

    /** One measured window. */
    private record Round(
            String kind,
            int senders,
            int round,
            long records,
            double seconds,
            long fsyncs,
            double group,
            double fsyncMeanMs,
            double fsyncP50Ms,
            double fsyncP99Ms,
            double cpu,
            double iowait,
            double steal,
            long full,
            String check) {

        double rate() {
            return records / seconds;
        }

        /** Wall time per group commit (write, force and hand-offs), ms. */
        double cycleMs() {
            return fsyncs == 0 ? Double.NaN : seconds * 1000 / fsyncs;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Files.createDirectories(options.base());
        Order sample = order(0);
        int payload = DiskCodec.json(Order.class).encode(sample).length;
        String given = options.stamp();
        String stamp = given != null ? given : Instant.now().toString().replaceAll("[-:]|\\.\\d+", "");
        System.out.printf(
                Locale.ROOT,
                "# disk edge throughput %s: %d s per round after a 1 s ramp, %d rounds of (edge, raw) per sender"
                        + " count, warm-up %d s; payload %d B, frame %d B; dir %s (%s)%n",
                stamp,
                options.seconds(),
                options.rounds(),
                options.warmupSeconds(),
                payload,
                payload + FRAME_OVERHEAD,
                options.base().toAbsolutePath(),
                fileSystem(options.base()));
        System.out.printf(
                Locale.ROOT,
                "# host: nproc=%d, jdk %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        System.out.println(
                "kind senders round records seconds records_per_s fsyncs group cycle_ms fsync_mean_ms fsync_p50_ms fsync_p99_ms cpu_pct"
                        + " iowait_pct steal_pct full check");
        List<Round> all = new ArrayList<>();
        for (int senders : options.senders()) {
            if (options.warmupSeconds() > 0) {
                Round w = edgeRound(options, senders, 0, options.warmupSeconds());
                print(w);
                print(rawRound(options, w.senders(), 0, options.warmupSeconds(), w.group(), payload));
            }
            double group = Double.NaN; // the last edge round's G, for a raw round that comes first
            for (int r = 1; r <= options.rounds(); r++) {
                Round edge;
                Round raw;
                if (r % 2 == 1 || Double.isNaN(group)) {
                    edge = edgeRound(options, senders, r, options.seconds());
                    print(edge);
                    raw = rawRound(options, senders, r, options.seconds(), edge.group(), payload);
                    print(raw);
                } else {
                    raw = rawRound(options, senders, r, options.seconds(), group, payload);
                    print(raw);
                    edge = edgeRound(options, senders, r, options.seconds());
                    print(edge);
                }
                group = edge.group();
                all.add(edge);
                all.add(raw);
            }
        }
        String summary = summary(options, all, payload);
        System.out.print(summary);
        Path out = options.out();
        if (out != null) {
            Files.createDirectories(out);
            Path tsv = out.resolve("disk-" + stamp + ".tsv");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tsv, StandardCharsets.UTF_8))) {
                w.println(
                        "kind\tsenders\tround\trecords\tseconds\trecords_per_s\tfsyncs\tgroup\tcycle_ms\tfsync_mean_ms\tfsync_p50_ms"
                                + "\tfsync_p99_ms\tcpu_pct\tiowait_pct\tsteal_pct\tfull\tcheck");
                for (Round r : all) {
                    w.println(line(r).replace(' ', '\t'));
                }
            }
            Path md = out.resolve("disk-" + stamp + ".md");
            Files.writeString(md, summary, StandardCharsets.UTF_8);
            System.out.println("written: " + tsv + " " + md);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The disk edge

    private static Round edgeRound(Options options, int senders, int round, int seconds) throws Exception {
        Path dir = Files.createTempDirectory(options.base(), "edge-");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(fineFsyncBuckets());
        DiskEdge edge = new DiskEdge("bench", "gen", "out_x", "sink", "in_x", 1_000_000, 4L << 30);
        LongAdder accepted = new LongAdder();
        LongAdder full = new LongAdder();
        LongAdder delivered = new LongAdder();
        long maxBacklog = 0;
        Round result;
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dir))) {
            RemoteLink<Order> link = disk.sendingLink(edge, DiskCodec.json(Order.class));
            DiskReceiver<Order> receiver = disk.receiver(edge, DiskCodec.json(Order.class));
            try (Pipeline pipeline = Pipeline.builder("bench")
                    .meterRegistry(registry)
                    .source("disk_in", Order.class, receiver)
                    .sink("sink", Order.class, m -> delivered.increment())
                    .connect(
                            "disk_in.out_records",
                            "sink.in_x",
                            ConnectionOptions.defaults().capacity(1024))
                    .bindRemote("sink.in_x", receiver.backlog())
                    .build()) {
                receiver.watch(pipeline);
                pipeline.start();
                Timer fsync = awaitTimer(registry);
                Thread[] threads = new Thread[senders];
                Stop stop = new Stop();
                for (int s = 0; s < senders; s++) {
                    Order order = order(s);
                    Thread.Builder builder = options.virtualThreads() ? Thread.ofVirtual() : Thread.ofPlatform();
                    threads[s] = builder.name("sender-" + s).start(() -> {
                        try {
                            while (!stop.stopped) {
                                switch (link.offer(order, System.nanoTime(), RemoteLink.NOT_PIPELINED)) {
                                    case ACCEPTED -> accepted.increment();
                                    case FULL -> {
                                        full.increment();
                                        link.awaitRoom(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
                                    }
                                    case CLOSED -> {
                                        return;
                                    }
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                Thread.sleep(1000); // ramp
                Window window = new Window(accepted::sum, fsync);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() - end < 0) {
                    Thread.sleep(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                    maxBacklog = Math.max(maxBacklog, link.depth());
                }
                window.close();
                stop.stopped = true;
                for (Thread t : threads) {
                    t.join();
                }
                long sent = accepted.sum();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (delivered.sum() < sent && System.nanoTime() - deadline < 0) {
                    Thread.sleep(10);
                }
                pipeline.drain(Duration.ofSeconds(30));
                String check = (delivered.sum() == sent ? "ok" : "delivered_" + delivered.sum() + "_of_" + sent)
                        + ",max_backlog=" + maxBacklog;
                double group = window.fsyncs == 0 ? 0 : (double) window.records / window.fsyncs;
                result = window.round("edge", senders, round, group, full.sum(), check);
            }
        } finally {
            deleteTree(dir);
        }
        return result;
    }

    /** Set from the measuring thread; read by the senders. */
    private static final class Stop {
        volatile boolean stopped;
    }

    private static Timer awaitTimer(SimpleMeterRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            Timer timer = registry.find(FSYNC_TIMER).timer();
            if (timer != null) {
                return timer;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the disk receiver did not register " + FSYNC_TIMER + " within 30 s");
    }

    /**
     * The fsync timer with fixed buckets 10 % apart (instead of the percentile histogram's coarse
     * ones), counted since it was made (no rotating window), so two snapshots give the window's.
     */
    private static MeterFilter fineFsyncBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(FSYNC_TIMER)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(false)
                        .serviceLevelObjectives(BUCKETS_NANOS)
                        .expiry(Duration.ofDays(1))
                        .bufferLength(1)
                        .build()
                        .merge(config);
            }
        };
    }

    // ---------------------------------------------------------------------------------------------
    // The raw loop

    private static Round rawRound(Options options, int senders, int round, int seconds, double group, int payload)
            throws Exception {
        int batch = Math.max(1, (int) Math.round(group));
        ByteBuffer frames = frames(batch, payload);
        Path file = options.base().resolve("raw-" + System.nanoTime() + ".log");
        AtomicLong written = new AtomicLong();
        AtomicLong forces = new AtomicLong();
        AtomicLong forceNanos = new AtomicLong();
        long[] buckets = new long[BUCKETS_NANOS.length + 1];
        Stop stop = new Stop();
        Throwable[] failure = new Throwable[1];
        Round result;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Thread writer = Thread.ofPlatform().name("raw-writer").start(() -> {
                try {
                    while (!stop.stopped) {
                        ByteBuffer b = frames.duplicate();
                        while (b.hasRemaining()) {
                            channel.write(b);
                        }
                        long before = System.nanoTime();
                        channel.force(false);
                        long took = System.nanoTime() - before;
                        synchronized (buckets) {
                            buckets[bucketOf(took)]++;
                        }
                        written.addAndGet(batch);
                        forceNanos.addAndGet(took);
                        forces.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failure[0] = e;
                }
            });
            Thread.sleep(1000); // ramp, as the edge's
            Window window = new Window(written::get, forces::get, forceNanos::get, () -> {
                synchronized (buckets) {
                    return buckets.clone();
                }
            });
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            window.close();
            stop.stopped = true;
            writer.join();
            if (failure[0] != null) {
                throw new IllegalStateException("the raw loop failed", failure[0]);
            }
            result = window.round("raw", senders, round, batch, 0, "batch=" + batch);
        } finally {
            Files.deleteIfExists(file);
        }
        return result;
    }

    /** {@code count} frames laid out as a disk edge writes them (RecordFrame), {@code payload} bytes each. */
    static ByteBuffer frames(int count, int payload) {
        byte[] body = new byte[payload];
        Arrays.fill(body, (byte) 'x');
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * (payload + FRAME_OVERHEAD));
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < count; i++) {
            int start = buffer.position();
            buffer.putInt(FRAME_OVERHEAD - 8 + payload);
            buffer.putInt(0);
            int bodyStart = buffer.position();
            buffer.put((byte) 1);
            buffer.putLong(i);
            buffer.putLong(now);
            buffer.putLong(now);
            buffer.put(body);
            CRC32C crc = new CRC32C();
            crc.update(buffer.slice(bodyStart, buffer.position() - bodyStart));
            buffer.putInt(start + 4, (int) crc.getValue());
        }
        return buffer.flip();
    }

    // ---------------------------------------------------------------------------------------------
    // Measuring

    /** Counts at the start of a window; {@link #close} fills in the differences. */
    private static final class Window {
        /** This window as a round of {@code kind}; {@code group} is records per fsync (the edge's) or the batch (raw). */
        Round round(String kind, int senders, int round, double group, long full, String check) {
            return new Round(
                    kind,
                    senders,
                    round,
                    records,
                    seconds,
                    fsyncs,
                    group,
                    fsyncMeanMs(),
                    percentile(buckets, 0.50),
                    percentile(buckets, 0.99),
                    cpu,
                    iowait,
                    steal,
                    full,
                    check);
        }

        private final java.util.function.LongSupplier records0;
        private final java.util.function.LongSupplier fsyncs0;
        private final java.util.function.LongSupplier fsyncNanos0;
        private final java.util.function.Supplier<long[]> buckets0;
        private final long startRecords;
        private final long startFsyncs;
        private final long startFsyncNanos;
        private final long[] startBuckets;
        private final long startNanos;
        private final long startCpu;
        private final long[] startHost;
        long records;
        long fsyncs;
        long fsyncNanos;
        long[] buckets = new long[0];
        double seconds;
        double cpu;
        double iowait;
        double steal;

        Window(java.util.function.LongSupplier records, Timer timer) {
            this(records, timer::count, () -> (long) timer.totalTime(TimeUnit.NANOSECONDS), () -> timerBuckets(timer));
        }

        Window(
                java.util.function.LongSupplier records,
                java.util.function.LongSupplier fsyncs,
                java.util.function.LongSupplier fsyncNanos,
                java.util.function.Supplier<long[]> buckets) {
            this.records0 = records;
            this.fsyncs0 = fsyncs;
            this.fsyncNanos0 = fsyncNanos;
            this.buckets0 = buckets;
            this.startHost = hostTicks();
            this.startCpu = processCpuNanos();
            this.startNanos = System.nanoTime();
            this.startRecords = records.getAsLong();
            this.startFsyncs = fsyncs.getAsLong();
            this.startFsyncNanos = fsyncNanos.getAsLong();
            this.startBuckets = buckets.get();
        }

        double fsyncMeanMs() {
            return fsyncs == 0 ? Double.NaN : fsyncNanos / 1e6 / fsyncs;
        }

        void close() {
            long endRecords = records0.getAsLong();
            long endNanos = System.nanoTime();
            long endFsyncs = fsyncs0.getAsLong();
            long endFsyncNanos = fsyncNanos0.getAsLong();
            long[] endBuckets = buckets0.get();
            long endCpu = processCpuNanos();
            long[] endHost = hostTicks();
            records = endRecords - startRecords;
            fsyncs = endFsyncs - startFsyncs;
            fsyncNanos = endFsyncNanos - startFsyncNanos;
            buckets = new long[endBuckets.length];
            for (int i = 0; i < endBuckets.length; i++) {
                buckets[i] = endBuckets[i] - startBuckets[i];
            }
            seconds = (endNanos - startNanos) / 1e9;
            cpu = 100.0
                    * (endCpu - startCpu)
                    / (endNanos - startNanos)
                    / Runtime.getRuntime().availableProcessors();
            long total = 0;
            for (int i = 0; i < endHost.length; i++) {
                total += endHost[i] - startHost[i];
            }
            if (total > 0 && endHost.length > 7) {
                iowait = 100.0 * (endHost[4] - startHost[4]) / total;
                steal = 100.0 * (endHost[7] - startHost[7]) / total;
            }
        }
    }

    /** Per-bucket (not cumulative) counts of the timer, in the layout of {@link #bucketOf}. */
    private static long[] timerBuckets(Timer timer) {
        CountAtBucket[] counts = timer.takeSnapshot().histogramCounts();
        long[] out = new long[BUCKETS_NANOS.length + 1];
        Arrays.sort(counts, Comparator.comparingDouble(CountAtBucket::bucket));
        double previous = 0;
        int i = 0;
        for (CountAtBucket c : counts) {
            // cumulative: values <= the bucket's bound
            int at = Math.min(i, BUCKETS_NANOS.length - 1);
            out[at] = (long) (c.count() - previous);
            previous = c.count();
            i++;
        }
        out[BUCKETS_NANOS.length] = Math.max(0, timer.count() - (long) previous);
        return out;
    }

    private static int bucketOf(long nanos) {
        int i = Arrays.binarySearch(BUCKETS_NANOS, nanos);
        return i >= 0 ? i : -i - 1;
    }

    /** Bucket bounds from 10 µs to 10 s, 10 % apart. */
    private static double[] buckets() {
        List<Double> bounds = new ArrayList<>();
        for (double b = 10_000; b <= 10e9; b *= 1.1) {
            bounds.add(Math.floor(b));
        }
        return bounds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The {@code q} quantile in ms, interpolated linearly inside its bucket; NaN without values. */
    private static double percentile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (below + counts[i] >= rank && counts[i] > 0) {
                double lower = i == 0 ? 0 : BUCKETS_NANOS[i - 1];
                double upper = i < BUCKETS_NANOS.length ? BUCKETS_NANOS[i] : lower * 1.1;
                double within = (rank - below) / counts[i];
                return (lower + within * (upper - lower)) / 1e6;
            }
            below += counts[i];
        }
        return BUCKETS_NANOS[BUCKETS_NANOS.length - 1] / 1e6;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The host's cpu line of /proc/stat (user nice system idle iowait irq softirq steal ...), or empty. */
    private static long[] hostTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            return Arrays.stream(line.trim().split("\\s+"))
                    .skip(1)
                    .mapToLong(Long::parseLong)
                    .toArray();
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Output

    private static String line(Round r) {
        return String.format(
                Locale.ROOT,
                "%s %d %d %d %.2f %.0f %d %.2f %.3f %.3f %.3f %.3f %.0f %.0f %.0f %d %s",
                r.kind(),
                r.senders(),
                r.round(),
                r.records(),
                r.seconds(),
                r.rate(),
                r.fsyncs(),
                r.group(),
                r.cycleMs(),
                r.fsyncMeanMs(),
                r.fsyncP50Ms(),
                r.fsyncP99Ms(),
                r.cpu(),
                r.iowait(),
                r.steal(),
                r.full(),
                r.check());
    }

    private static void print(Round r) {
        System.out.println((r.round() == 0 ? "warmup " : "") + line(r));
    }

    private static String summary(Options options, List<Round> all, int payload) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "%n### Disk edge against a raw write + force(false) loop (%s-thread senders, %d x %d s per kind and"
                        + " sender count, payload %d B, frame %d B)%n%n",
                options.virtualThreads() ? "virtual" : "platform",
                options.rounds(),
                options.seconds(),
                payload,
                payload + FRAME_OVERHEAD));
        s.append("| senders | edge records/s (median) | raw records/s (median) | group G (median) | edge / raw"
                + " (of medians) | edge / raw (median of pairs) | pairs | ms per group commit, edge / raw |"
                + " fsync mean ms, edge / raw | outside force ms, edge / raw | edge fsync p50 / p99 ms | raw fsync p50 / p99 ms | cpu %, edge / raw"
                + " | >= 80 % (pairs) |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (int senders : options.senders()) {
            List<Round> edge = all.stream()
                    .filter(r -> r.senders() == senders && r.kind().equals("edge"))
                    .toList();
            List<Round> raw = all.stream()
                    .filter(r -> r.senders() == senders && r.kind().equals("raw"))
                    .toList();
            double edgeRate = median(edge.stream().mapToDouble(Round::rate));
            double rawRate = median(raw.stream().mapToDouble(Round::rate));
            List<String> pairs = new ArrayList<>();
            double[] ratios = new double[Math.min(edge.size(), raw.size())];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = edge.get(i).rate() / raw.get(i).rate();
                pairs.add(String.format(Locale.ROOT, "%.2f", ratios[i]));
            }
            double pairMedian = median(Arrays.stream(ratios));
            s.append(String.format(
                    Locale.ROOT,
                    "| %d | %,.0f | %,.0f | %.1f | %.1f %% | %.1f %% | %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.2f / %.2f | %.2f / %.2f"
                            + " | %.0f / %.0f | %s |%n",
                    senders,
                    edgeRate,
                    rawRate,
                    median(edge.stream().mapToDouble(Round::group)),
                    100 * edgeRate / rawRate,
                    100 * pairMedian,
                    String.join(" ", pairs),
                    median(edge.stream().mapToDouble(Round::cycleMs)),
                    median(raw.stream().mapToDouble(Round::cycleMs)),
                    median(edge.stream().mapToDouble(Round::fsyncMeanMs)),
                    median(raw.stream().mapToDouble(Round::fsyncMeanMs)),
                    median(edge.stream().mapToDouble(r -> r.cycleMs() - r.fsyncMeanMs())),
                    median(raw.stream().mapToDouble(r -> r.cycleMs() - r.fsyncMeanMs())),
                    median(edge.stream().mapToDouble(Round::fsyncP50Ms)),
                    median(edge.stream().mapToDouble(Round::fsyncP99Ms)),
                    median(raw.stream().mapToDouble(Round::fsyncP50Ms)),
                    median(raw.stream().mapToDouble(Round::fsyncP99Ms)),
                    median(edge.stream().mapToDouble(Round::cpu)),
                    median(raw.stream().mapToDouble(Round::cpu)),
                    pairMedian >= 0.8 ? "met" : "**missed**"));
        }
        s.append(String.format(
                Locale.ROOT,
                "%nedge: N %s threads offering to a disk edge's sending link (accepted = fsynced), a pipeline"
                        + " draining it; raw: one thread, write + force(false) of round(G) frames of the same size,"
                        + " G from the latest edge round. Medians over rounds. ms per group commit: window / fsyncs"
                        + " (write, force and every hand-off); fsync: force(false) alone (the edge's from its"
                        + " portflow.disk.fsync.duration timer); outside force: the difference, per round;"
                        + " percentiles: median over rounds of each round's"
                        + " value (buckets 10 %% apart). cpu: this JVM's CPU time / (wall x %d cores). The verdict"
                        + " is on the median of the per-pair ratios (each edge round against the raw round right"
                        + " after it).%n",
                options.virtualThreads() ? "virtual" : "platform",
                Runtime.getRuntime().availableProcessors()));
        return s.toString();
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] v = values.filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------

    /** A pre-built order of about 100 bytes of JSON; every sender sends its own again and again. */
    static Order order(int sender) {
        return new Order(
                String.format(Locale.ROOT, "order-%08d", sender),
                1_000_000L + sender,
                129.5,
                "EUR",
                "express delivery, gift wrap");
    }

    private static String fileSystem(Path dir) {
        try {
            var store = Files.getFileStore(dir);
            return store.type() + " on " + store.name();
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
