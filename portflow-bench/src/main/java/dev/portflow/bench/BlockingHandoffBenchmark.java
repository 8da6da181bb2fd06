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
 * Hand-off throughput when both ends use the blocking API, as a pipeline component does: producers
 * {@code put} / {@code send} (wait while full), the consumer {@code take} / {@code receive} (waits
 * while empty). Compares {@code ArrayBlockingQueue} with Portflow connections, metrics off and on.
 * {@code MpscArrayQueue} has no blocking API and is measured in {@link ChannelHandoffBenchmark} only.
 *
 * <p>Same method as {@link ChannelHandoffBenchmark}: JMH threads are the producers and one operation
 * is one accepted message; the consumer is a dedicated thread that runs for the whole trial, so a
 * blocked producer is always released at the end of an iteration; counts are verified at the end.
 * Here the consumer parks when the buffer is empty, so the cost of waking it is part of the score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BlockingHandoffBenchmark {

    @Param({"abq", "portflow_untimed", "portflow_timed"})
    public String channel;

    HandoffRig rig;

    @Setup(Level.Trial)
    public void startConsumer() {
        rig = HandoffRig.start(channel, HandoffChannel.ConsumerMode.BLOCK);
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
        public void register(BlockingHandoffBenchmark benchmark) {
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
