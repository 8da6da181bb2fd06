package dev.portflow.bench.peers;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Portflow against Project Reactor and Apache Pekko Streams on the same pipeline shapes, in messages
 * per second: "Race the peers".
 *
 * <p><b>Shapes</b> ({@code shape}), every stage on its own thread or async boundary, every buffer
 * between two stages 1024 messages, small messages (pre-allocated {@code Integer}s):
 * <ul>
 *   <li>{@code map}: source &rarr; map &rarr; sink;
 *   <li>{@code router_merge}: source &rarr; router (4 ways, by {@code message % 4}) &rarr; merge of the 4
 *       lanes &rarr; sink;
 *   <li>{@code batch}: source &rarr; batches of 100 &rarr; sink (counting the messages in the batches).
 * </ul>
 * <p><b>Variants</b> ({@code variant}): {@code portflow_metrics} (pipeline runtime, connections timed,
 * meters on a {@code PrometheusMeterRegistry}: full SPEC metrics), {@code portflow_nometrics}
 * (connections {@code timed(false)}, default registry: exact counters only), {@code portflow_traced}
 * (as {@code portflow_metrics}, plus OpenTelemetry tracing of 1 % of the messages; not in the default
 * list: {@code -p variant=portflow_metrics,portflow_traced}; {@code portflow_traced_none} samples
 * nothing, {@code portflow_traced_tenth} samples 0.1 %, {@code portflow_traced_ten} 10 % (a traced message's
 * own cost then stands above the noise), {@code portflow_traced_sdk} traces through an OpenTelemetry SDK
 * the application gives ({@link PortflowRig#tracedThroughSdk}), {@code portflow_traced_otlp} exports the spans
 * over OTLP to a sink in the same process ({@link PortflowRig#tracedOverOtlp}; {@code portflow_traced_otlp_tenth}
 * the same at 0.1 %), {@code portflow_traced_noexport} hands the
 * spans to no processor, {@code portflow_traced_hollow} samples 1 % with a tracer that makes no spans
 * ({@link HollowTracing}), {@code portflow_traced_hollow_ten} the same at 10 %), {@code reactor}
 * ({@code publishOn} boundaries on single-thread schedulers), {@code pekko} ({@code .async} islands
 * with {@code .buffer(1024, backpressure)}). How each is built: {@link PortflowRig},
 * {@link ReactorRig}, {@link PekkoRig}.
 *
 * <p><b>Threads.</b> Every stage runs on its own thread, as each framework provides one: Portflow
 * runs each component on a virtual thread (3 components for {@code map} and {@code batch}, 4 for
 * {@code router_merge}), and virtual threads share the JDK's scheduler, a {@code ForkJoinPool} with one
 * carrier thread per available processor: <b>2 carriers on the 2-core benchmark machine</b> (set
 * {@code -Djdk.virtualThreadScheduler.parallelism} to change it). Reactor runs each stage on its own
 * {@code Schedulers.newSingle} platform thread (3 or 4), Pekko each island in an actor on its default
 * dispatcher, a fork-join pool of {@code max(8, cores)} threads (at most 64) with the default
 * configuration, so 8 on the benchmark machine. The benchmark thread only starts a run and waits.
 *
 * <p><b>What one operation is.</b> One JMH invocation is one whole run of {@code messages}
 * messages from source to sink: starting the pipeline (Portflow: {@code start()}, Reactor:
 * {@code subscribe}, Pekko: materializing the graph), streaming every message, and waiting until
 * the sink has seen end of stream. {@code @OperationsPerInvocation(1_000_000)} makes the score
 * messages per second and {@code gc.alloc.rate.norm} bytes per message (JMH divides both by the
 * operations per invocation). Everything reusable is built once per trial (Reactor's schedulers and
 * {@code Flux}, Pekko's actor system and graph blueprint); a Portflow {@code Pipeline} runs only once,
 * so a fresh one is built before each run in a {@code Level.Invocation} setup, which JMH keeps out
 * of the measured time (it timestamps each invocation; an invocation lasts 0.1 s or more here, so
 * the timestamps cost nothing). A run starts from idle threads, so each invocation includes the
 * pipeline's ramp-up and drain, identically for all variants.
 *
 * <p><b>Verified.</b> Every run must deliver exactly {@code messages} messages whose values add up to
 * the expected sum (a lost and a duplicated message cannot cancel out), and for {@code batch}
 * exactly {@code ceil(messages / 100)} batches; otherwise the run throws and the benchmark fails.
 * Portflow runs also check the port counters and, with metrics, that every message was timed
 * (histogram counts and the Prometheus scrape), outside the measured time.
 *
 * <p><b>Other values of {@code messages}</b> (e.g. {@code -p messages=100000} for a quick smoke test)
 * work, but JMH's raw score still assumes 1,000,000 per invocation: {@code PeerResultsTable} scales
 * scores and B/op by {@code messages / 1,000,000}; the raw JMH output does not.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class PeerBenchmark {

    /** Messages per invocation assumed by {@code @OperationsPerInvocation}. */
    public static final int OPS = 1_000_000;

    @Param({"map", "router_merge", "batch"})
    public String shape;

    @Param({"portflow_metrics", "portflow_nometrics", "reactor", "pekko"})
    public String variant;

    /** Messages per run; the score is messages/s only for the default (see the class comment). */
    @Param({"1000000"})
    public int messages;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private PeerRig rig;
    /** Bytes allocated by the untimed {@link PeerRig#prepare()} and {@link PeerRig#afterRun()} of all runs. */
    private long untimedBytes;

    private long reported;
    private long runs;
    /** The current iteration's counters, handed over by each {@link #run}; {@code null} before the first. */
    private @Nullable UntimedAllocation counters;

    @Setup(Level.Trial)
    public void createRig() {
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be >= 1, was " + messages);
        }
        if (messages != OPS) {
            System.out.println("[peers] messages=" + messages + ": raw JMH scores assume " + OPS
                    + " messages per operation; PeerResultsTable rescales them");
        }
        rig = PeerRig.create(shape, variant, messages);
    }

    @Setup(Level.Invocation)
    public void prepareRun() throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        rig.prepare();
        untimedBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** One whole run; returns the number of messages the sink saw (already verified). */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long run(UntimedAllocation untimed) throws Exception {
        counters = untimed;
        return rig.run();
    }

    @TearDown(Level.Invocation)
    public void checkRun() throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        rig.afterRun();
        untimedBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
        runs++;
        // Hand this run's untimed allocation to the iteration's counters.
        UntimedAllocation c = counters;
        if (c == null) {
            throw new IllegalStateException("checkRun before any run: JMH tears an invocation down after its run");
        }
        c.untimedBytes += untimedBytes - reported;
        c.untimedRuns++;
        reported = untimedBytes;
    }

    /**
     * What the untimed work around the runs allocated, per iteration, as JMH secondary results
     * ({@code untimedBytes}, {@code untimedRuns}). {@code -prof gc} counts every allocation of an
     * iteration, including the untimed {@code Level.Invocation} setup (building a Portflow pipeline)
     * and teardown (the checks, e.g. a Prometheus scrape), so {@code PeerResultsTable} shows
     * {@code untimedBytes / (untimedRuns * messages)} apart from the bytes per message of what was
     * timed.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class UntimedAllocation {
        public long untimedBytes;
        public long untimedRuns;

        @Setup(Level.Iteration)
        public void reset() {
            untimedBytes = 0;
            untimedRuns = 0;
        }
    }

    @TearDown(Level.Trial)
    public void closeRig() throws Exception {
        System.out.println(System.lineSeparator() + "[verify] " + rig.describe());
        // -prof gc counts what the untimed setup and checks allocate too: say how much of B/msg that is.
        System.out.printf(
                java.util.Locale.ROOT,
                "[untimed] %d runs; preparing and checking a run allocated %.1f KB"
                        + " on average (counted in gc.alloc.rate.norm: %.3f B/msg)%n",
                runs,
                untimedBytes / 1024.0 / Math.max(1, runs),
                (double) untimedBytes / Math.max(1, runs) / messages);
        rig.close();
    }
}
