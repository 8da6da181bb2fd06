package dev.portflow.bench;

import dev.portflow.internal.PortMeterBinder;
import dev.portflow.port.Connection;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.Ports;
import dev.portflow.port.SendOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of a three-stage pipeline, source &rarr; transform &rarr; sink, each stage on its own
 * thread, joined by two Portflow connections ({@code BLOCK}, capacity 1024), in messages per second.
 *
 * <p>Built from raw ports and hand-made threads (not the pipeline runtime), so it measures the cost
 * of two port hops plus the blocking hand-offs between three threads:
 * <ul>
 *   <li><b>source</b>: the JMH benchmark thread; one operation = one message accepted by the first
 *       connection ({@code OutputPort.send}, waits while full);
 *   <li><b>transform</b>: {@code receive()} (parks while empty), maps the message to another
 *       pre-allocated {@code Integer} (no allocation), {@code send}s it on, carrying the origin time
 *       so the sink's message age is end-to-end;
 *   <li><b>sink</b>: {@code receive()}, reads and counts every message.
 * </ul>
 * {@code timed}: metrics off ({@code false}) or full SPEC metrics with all four ports bound to a
 * {@code PrometheusMeterRegistry} ({@code true}). {@code stageThreads}: transform and sink run on
 * {@code platform} threads or on {@code virtual} threads (as the runtime runs components).
 *
 * <p>Transform and sink run for the whole trial, so they keep draining while JMH stops the source at
 * the end of an iteration: no thread is ever left blocked. Two buffers of 1024 bound how far the
 * source can run ahead of the sink, so the source-side count equals sink throughput to within
 * 2048 messages per iteration. At the end of the trial the source port is closed, end of stream
 * propagates through the transform, and every count (source, transform, sink, connection
 * statistics, port counters, histogram counts) is checked.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

    private static final int CAPACITY = 1024;
    private static final long JOIN_TIMEOUT_MILLIS = 30_000;

    @Param({"false", "true"})
    public boolean timed;

    @Param({"platform", "virtual"})
    public String stageThreads;

    private OutputPort<Integer> sourceOut;
    private InputPort<Integer> transformIn;
    private OutputPort<Integer> transformOut;
    private InputPort<Integer> sinkIn;
    private Connection<Integer> first;
    private Connection<Integer> second;
    /** Only when {@code timed}. */
    private @Nullable PrometheusMeterRegistry registry;

    private Thread transform;
    private Thread sink;
    private final Integer[] table = Messages.pool();
    private final Integer[] pool = Messages.pool();
    private int next;
    private long produced;
    private volatile long transformed = -1;
    private volatile long sunk = -1;

    @SuppressWarnings("UnusedVariable") // written so that the sink's sum is not dead code to the JIT
    private volatile long checksum;

    private volatile @Nullable Throwable failure;

    @Setup(Level.Trial)
    public void startStages() {
        ConnectionOptions options = ConnectionOptions.defaults()
                .capacity(CAPACITY)
                .overflow(OverflowPolicy.BLOCK)
                .timed(timed);
        sourceOut = new OutputPort<>("out_numbers", Integer.class);
        transformIn = new InputPort<>("in_numbers", Integer.class);
        transformOut = new OutputPort<>("out_mapped", Integer.class);
        sinkIn = new InputPort<>("in_mapped", Integer.class);
        sourceOut.measurements().component("source");
        transformIn.measurements().component("transform");
        transformOut.measurements().component("transform");
        sinkIn.measurements().component("sink");
        first = Ports.connect(sourceOut, transformIn, options);
        second = Ports.connect(transformOut, sinkIn, options);
        if (timed) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PortMeterBinder.bind(registry, "bench", sourceOut.measurements());
            PortMeterBinder.bind(registry, "bench", transformIn.measurements());
            PortMeterBinder.bind(registry, "bench", transformOut.measurements());
            PortMeterBinder.bind(registry, "bench", sinkIn.measurements());
        }
        Thread.Builder builder = switch (stageThreads) {
            case "platform" -> Thread.ofPlatform().daemon();
            case "virtual" -> Thread.ofVirtual();
            default -> throw new IllegalArgumentException("stageThreads: platform or virtual, not " + stageThreads);
        };
        transform = builder.name("bench-transform").start(this::runTransform);
        sink = builder.name("bench-sink").start(this::runSink);
    }

    private void runTransform() {
        try {
            InputPort<Integer> in = transformIn;
            OutputPort<Integer> out = transformOut;
            Integer[] t = table;
            long n = 0;
            Integer m;
            while ((m = in.receive()) != null) {
                Integer mapped = t[(m.intValue() * 7 + 1) & Messages.MASK];
                SendOutcome outcome = out.send(mapped, in.lastOrigin());
                if (outcome != SendOutcome.ACCEPTED) {
                    throw new IllegalStateException("BLOCK connection returned " + outcome);
                }
                n++;
            }
            transformed = n;
        } catch (Throwable e) {
            failure = e;
        } finally {
            transformOut.close(); // end of stream propagates to the sink
        }
    }

    private void runSink() {
        try {
            InputPort<Integer> in = sinkIn;
            long n = 0;
            long sum = 0;
            Integer m;
            while ((m = in.receive()) != null) {
                sum += m.intValue();
                n++;
            }
            checksum = sum;
            sunk = n;
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** The source: one accepted message per operation. */
    @Benchmark
    @Threads(1)
    public SendOutcome source() throws InterruptedException {
        SendOutcome outcome = sourceOut.send(pool[next++ & Messages.MASK]);
        produced++;
        return outcome;
    }

    @TearDown(Level.Trial)
    public void stopStages() throws InterruptedException {
        sourceOut.close();
        transform.join(JOIN_TIMEOUT_MILLIS);
        sink.join(JOIN_TIMEOUT_MILLIS);
        if (transform.isAlive() || sink.isAlive()) {
            throw new IllegalStateException("pipeline did not drain within 30 s (suspected hang): transform "
                    + transform.getState() + ", sink " + sink.getState());
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("a stage failed", failed);
        }
        HandoffChannel.check(produced == transformed, "produced " + produced + " != transformed " + transformed);
        HandoffChannel.check(transformed == sunk, "transformed " + transformed + " != sunk " + sunk);
        HandoffChannel.check(
                first.statistics().acceptedTotal() == produced,
                "first connection accepted " + first.statistics().acceptedTotal());
        HandoffChannel.check(
                second.statistics().receivedTotal() == sunk,
                "second connection received " + second.statistics().receivedTotal());
        HandoffChannel.check(first.depth() == 0 && second.depth() == 0, "buffers not empty after drain");
        HandoffChannel.check(transformIn.measurements().messagesIn() == produced, "transform messages.in");
        HandoffChannel.check(sinkIn.measurements().messagesIn() == sunk, "sink messages.in");
        String summary = System.lineSeparator() + "[verify] pipeline(timed=" + timed + ", " + stageThreads
                + "): produced=" + produced + " transformed=" + transformed + " sunk=" + sunk;
        if (timed) {
            PrometheusMeterRegistry registry =
                    Objects.requireNonNull(this.registry, "timed, so startStages created a registry");
            var age = sinkIn.measurements().messageAge;
            HandoffChannel.check(age.count() == sunk, "sink message.age count " + age.count());
            HandoffChannel.check(
                    transformIn.measurements().queueWait.count() == produced, "transform queue.wait count");
            double scraped = HandoffChannel.Portflow.scraped(registry.scrape(), "portflow_port_messages_in_total");
            HandoffChannel.check(scraped == produced || scraped == sunk, "scraped messages_in " + scraped);
            summary += String.format(
                    Locale.ROOT,
                    " end-to-end age mean=%.1f us max=%.1f us, scrape ok",
                    age.sumNanos() / 1e3 / Math.max(1, age.count()),
                    age.maxNanos() / 1e3);
            registry.close();
        }
        System.out.println(summary);
    }
}
