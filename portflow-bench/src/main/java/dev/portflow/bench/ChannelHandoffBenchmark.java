package dev.portflow.bench;

import java.util.concurrent.TimeUnit;
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
 * Hand-off throughput of a bounded (capacity 1024) many-producers / one-consumer buffer, in
 * messages per second, for four implementations measured in the same run:
 * <ul>
 *   <li>{@code mpsc}: JCTools {@code MpscArrayQueue}, the reference;
 *   <li>{@code abq}: {@code java.util.concurrent.ArrayBlockingQueue};
 *   <li>{@code portflow_untimed}: a Portflow connection, {@code BLOCK}, {@code timed(false)}
 *       (counters and depth exact, no clock reads, no histograms);
 *   <li>{@code portflow_timed}: the same with full SPEC metrics ({@code timed(true)}: queue wait
 *       and message age histograms, last activity), both ports bound to a
 *       {@code PrometheusMeterRegistry}.
 * </ul>
 *
 * <p><b>Method.</b> Producers are the JMH benchmark threads ({@code p1c1}: one, {@code p2c1}: two);
 * one JMH operation is one message <em>accepted</em> by the buffer, so failed attempts are never
 * counted. The single consumer is a dedicated platform thread started once per trial
 * ({@link HandoffRig}); it busy-polls every implementation the same way (non-blocking poll, then
 * {@link Backoff}: a short spin, then {@code Thread.yield()}) and reads each message. Producers of
 * the JDK and JCTools queues retry a failed {@code offer} with the same back-off; Portflow producers
 * call {@code OutputPort.send}, which under {@code BLOCK} waits in the library's own way (it parks
 * until the receiver makes room), since that is the only way to send on a {@code BLOCK} connection.
 *
 * <p>Because the buffer is bounded, accepted messages can run ahead of consumed ones by at most
 * 1024 per iteration, so the producer-side count is the consumer's throughput to within 0.1 % at
 * the rates measured here. The consumer keeps draining outside the measured window, so a producer
 * blocked on a full buffer when an iteration ends is always released and JMH never hangs. At the
 * end of the trial the rig closes the stream, joins the consumer and checks that every message was
 * consumed exactly once (and, for Portflow, that the connection statistics, port counters,
 * histogram counts and the Prometheus scrape agree); any mismatch fails the benchmark.
 *
 * <p>Messages are pre-allocated {@code Integer}s ({@link Messages}): nothing is boxed in the loop,
 * so {@code -prof gc} shows what the channel itself allocates per message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChannelHandoffBenchmark {

    @Param({"mpsc", "abq", "portflow_untimed", "portflow_timed", "mpsc_batch", "portflow_timed_batch"})
    public String channel;

    HandoffRig rig;

    @Setup(Level.Trial)
    public void startConsumer() {
        rig = HandoffRig.start(channel, HandoffChannel.ConsumerMode.SPIN);
    }

    @TearDown(Level.Trial)
    public void stopConsumer() throws InterruptedException {
        rig.stop();
    }

    /** One producer thread's cursor. */
    @State(Scope.Thread)
    public static class Producer {
        HandoffRig.Producer cursor;

        @Setup(Level.Trial)
        public void register(ChannelHandoffBenchmark benchmark) {
            cursor = benchmark.rig.newProducer();
        }
    }

    /** One producer, one consumer. */
    @Benchmark
    @Threads(1)
    public void p1c1(Producer producer) throws InterruptedException {
        producer.cursor.sendNext();
    }

    /** Two producers, one consumer. */
    @Benchmark
    @Threads(2)
    public void p2c1(Producer producer) throws InterruptedException {
        producer.cursor.sendNext();
    }
}
