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
import java.util.concurrent.ArrayBlockingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * One bounded many-producers / one-consumer buffer under test, with the consumer loop that drains it.
 *
 * <p>Each implementation keeps its own send and consume loops so that the JIT sees one concrete
 * class per benchmark fork (JMH forks a JVM per parameter value) and every call site stays monomorphic.
 * The consumer reads every message's value, as a real consumer would.
 *
 * <p>Life cycle: {@link #consume()} runs on a dedicated consumer thread until end of stream;
 * {@link #send} is called by any number of producer threads; after every producer has stopped,
 * {@link #endOfStream()} lets the consumer drain what is left and return; then {@link #verify}
 * checks that nothing was lost or double-counted.
 */
abstract class HandoffChannel {

    /** Buffer capacity of every channel under test. */
    static final int CAPACITY = 1024;

    /** How the consumer waits for messages. */
    enum ConsumerMode {
        /** Non-blocking poll in a loop, {@link Backoff} when empty. */
        SPIN,
        /** The channel's own blocking receive (parks when empty). */
        BLOCK,
        /** Batched non-blocking receive ({@code drain(consumer, 256)}), {@link Backoff} when empty. */
        BATCH
    }

    /** Counts and sums what a batched receive hands over; one instance per consumer, no allocation per batch. */
    static final class Accumulator
            implements java.util.function.Consumer<Integer>, org.jctools.queues.MessagePassingQueue.Consumer<Integer> {
        long count;
        long sum;
        boolean poisoned;

        @Override
        public void accept(Integer m) {
            if (isPoison(m)) {
                poisoned = true;
                return;
            }
            count++;
            sum += m.intValue();
        }
    }

    /** Messages per batched receive. */
    static final int BATCH = 256;

    /** Sum of the values of the consumed messages, so the consumer's reads cannot be optimised away. */
    volatile long checksum;

    /** Appends {@code message}, waiting (the channel's way) while the buffer is full. */
    abstract void send(Integer message) throws InterruptedException;

    /** Consumer loop: drains until end of stream; returns the number of messages consumed. */
    abstract long consume() throws InterruptedException;

    /** Called once every producer has stopped: the consumer drains the rest and returns. */
    abstract void endOfStream() throws InterruptedException;

    /**
     * Checks the channel's own accounting against the benchmark's.
     *
     * @return a one-line summary
     * @throws IllegalStateException on any mismatch
     */
    abstract String verify(long produced, long consumed);

    /** @param kind {@code mpsc}, {@code abq}, {@code portflow_untimed} or {@code portflow_timed} */
    static HandoffChannel create(String kind, ConsumerMode mode) {
        return switch (kind) {
            case "mpsc" -> {
                if (mode == ConsumerMode.BLOCK) {
                    throw new IllegalArgumentException("MpscArrayQueue has no blocking receive");
                }
                yield new Mpsc(false);
            }
            case "mpsc_batch" -> new Mpsc(true);
            case "abq" -> new Abq(mode);
            case "portflow_untimed" -> new Portflow(false, mode);
            case "portflow_timed" -> new Portflow(true, mode);
            case "portflow_timed_batch" -> new Portflow(true, ConsumerMode.BATCH);
            default -> throw new IllegalArgumentException("unknown channel kind: " + kind);
        };
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark accounting mismatch: " + what);
        }
    }

    /** A sentinel for queues without a close operation; compared by identity, never counted. */
    static final Integer POISON = Integer.valueOf(-1_000_000); // outside the valueOf cache: a unique object

    /** Whether {@code m} is the end marker itself: by identity, so no message value can be mistaken for it. */
    @SuppressWarnings({"BoxedPrimitiveEquality", "ReferenceEquality"
    }) // identity is the point: POISON is one unique object
    static boolean isPoison(Integer m) {
        return m == POISON;
    }

    // ------------------------------------------------------------------------------------------

    /** JCTools {@link MpscArrayQueue}: the lower bound on what a bounded MPSC handoff costs. */
    static final class Mpsc extends HandoffChannel {
        private final MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(CAPACITY);
        private final boolean batch;

        Mpsc(boolean batch) {
            this.batch = batch;
        }

        @Override
        void send(Integer message) {
            int attempt = 0;
            while (!queue.offer(message)) {
                Backoff.idle(attempt++);
            }
        }

        @Override
        long consume() {
            MpscArrayQueue<Integer> q = queue;
            if (batch) {
                Accumulator acc = new Accumulator();
                int attempt = 0;
                while (!acc.poisoned) {
                    if (q.drain(acc, BATCH) == 0) {
                        Backoff.idle(attempt++);
                    } else {
                        attempt = 0;
                    }
                }
                checksum = acc.sum;
                return acc.count;
            }
            long n = 0;
            long sum = 0;
            int attempt = 0;
            while (true) {
                Integer m = q.poll();
                if (m == null) {
                    Backoff.idle(attempt++);
                    continue;
                }
                if (isPoison(m)) {
                    break;
                }
                attempt = 0;
                sum += m.intValue();
                n++;
            }
            checksum = sum;
            return n;
        }

        @Override
        void endOfStream() {
            send(POISON);
        }

        @Override
        String verify(long produced, long consumed) {
            check(produced == consumed, "produced " + produced + " != consumed " + consumed);
            check(queue.isEmpty(), "queue not empty after end of stream");
            return "mpsc: produced=" + produced + " consumed=" + consumed;
        }
    }

    /** {@link ArrayBlockingQueue}: the JDK's bounded blocking queue (one lock, two conditions). */
    static final class Abq extends HandoffChannel {
        private final ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(CAPACITY);
        private final boolean blocking;

        Abq(ConsumerMode mode) {
            this.blocking = mode == ConsumerMode.BLOCK;
        }

        @Override
        void send(Integer message) throws InterruptedException {
            if (blocking) {
                queue.put(message);
                return;
            }
            int attempt = 0;
            while (!queue.offer(message)) {
                Backoff.idle(attempt++);
            }
        }

        @Override
        long consume() throws InterruptedException {
            ArrayBlockingQueue<Integer> q = queue;
            long n = 0;
            long sum = 0;
            if (blocking) {
                while (true) {
                    Integer m = q.take();
                    if (isPoison(m)) {
                        break;
                    }
                    sum += m.intValue();
                    n++;
                }
            } else {
                int attempt = 0;
                while (true) {
                    Integer m = q.poll();
                    if (m == null) {
                        Backoff.idle(attempt++);
                        continue;
                    }
                    if (isPoison(m)) {
                        break;
                    }
                    attempt = 0;
                    sum += m.intValue();
                    n++;
                }
            }
            checksum = sum;
            return n;
        }

        @Override
        void endOfStream() throws InterruptedException {
            send(POISON);
        }

        @Override
        String verify(long produced, long consumed) {
            check(produced == consumed, "produced " + produced + " != consumed " + consumed);
            check(queue.isEmpty(), "queue not empty after end of stream");
            return "abq: produced=" + produced + " consumed=" + consumed;
        }
    }

    /**
     * A Portflow connection ({@code BLOCK}, capacity {@value #CAPACITY}). Timed: full SPEC metrics,
     * both ports bound to a {@link PrometheusMeterRegistry}. Untimed: no clock reads or histograms.
     */
    static final class Portflow extends HandoffChannel {
        private final boolean timed;
        private final boolean blocking;
        private final boolean batch;
        private final OutputPort<Integer> out = new OutputPort<>("out_bench", Integer.class);
        private final InputPort<Integer> in = new InputPort<>("in_bench", Integer.class);
        private final Connection<Integer> connection;
        /** Only when {@code timed}. */
        private final @Nullable PrometheusMeterRegistry registry;

        Portflow(boolean timed, ConsumerMode mode) {
            this.timed = timed;
            this.blocking = mode == ConsumerMode.BLOCK;
            this.batch = mode == ConsumerMode.BATCH;
            this.connection = Ports.connect(
                    out,
                    in,
                    ConnectionOptions.defaults()
                            .capacity(CAPACITY)
                            .overflow(OverflowPolicy.BLOCK)
                            .timed(timed));
            if (timed) {
                registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                PortMeterBinder.bind(registry, "bench", out.measurements());
                PortMeterBinder.bind(registry, "bench", in.measurements());
            } else {
                registry = null;
            }
        }

        @Override
        void send(Integer message) throws InterruptedException {
            SendOutcome outcome = out.send(message);
            if (outcome != SendOutcome.ACCEPTED) {
                throw new IllegalStateException("BLOCK connection returned " + outcome);
            }
        }

        @Override
        long consume() throws InterruptedException {
            InputPort<Integer> port = in;
            if (batch) {
                Accumulator acc = new Accumulator();
                int attempt = 0;
                while (true) {
                    if (port.drain(acc, BATCH) == 0) {
                        if (port.isEndOfStream()) {
                            break;
                        }
                        Backoff.idle(attempt++);
                    } else {
                        attempt = 0;
                    }
                }
                checksum = acc.sum;
                return acc.count;
            }
            long n = 0;
            long sum = 0;
            if (blocking) {
                Integer m;
                while ((m = port.receive()) != null) {
                    sum += m.intValue();
                    n++;
                }
            } else {
                int attempt = 0;
                while (true) {
                    Integer m = port.poll();
                    if (m == null) {
                        if (port.isEndOfStream()) {
                            break;
                        }
                        Backoff.idle(attempt++);
                        continue;
                    }
                    attempt = 0;
                    sum += m.intValue();
                    n++;
                }
            }
            checksum = sum;
            return n;
        }

        @Override
        void endOfStream() {
            out.close();
        }

        @Override
        String verify(long produced, long consumed) {
            var stats = connection.statistics();
            check(produced == consumed, "produced " + produced + " != consumed " + consumed);
            check(
                    stats.acceptedTotal() == produced,
                    "connection accepted " + stats.acceptedTotal() + " != produced " + produced);
            check(
                    stats.receivedTotal() == consumed,
                    "connection received " + stats.receivedTotal() + " != consumed " + consumed);
            check(stats.currentBufferUsed() == 0, "depth " + stats.currentBufferUsed() + " after drain");
            check(
                    out.measurements().messagesOut() == produced,
                    "messages.out " + out.measurements().messagesOut());
            check(
                    in.measurements().messagesIn() == consumed,
                    "messages.in " + in.measurements().messagesIn());
            check(in.isEndOfStream(), "input port not at end of stream");
            String summary = "portflow(timed=" + timed + "): produced=" + produced + " consumed=" + consumed;
            if (timed) {
                PrometheusMeterRegistry registry =
                        Objects.requireNonNull(this.registry, "timed, so the constructor created a registry");
                long waits = in.measurements().queueWait.count();
                long ages = in.measurements().messageAge.count();
                check(waits == consumed, "queue.wait count " + waits + " != consumed " + consumed);
                check(ages == consumed, "message.age count " + ages + " != consumed " + consumed);
                double scrapedIn = scraped(registry.scrape(), "portflow_port_messages_in_total");
                double scrapedOut = scraped(registry.scrape(), "portflow_port_messages_out_total");
                check(scrapedIn == consumed, "scraped messages_in " + scrapedIn + " != " + consumed);
                check(scrapedOut == produced, "scraped messages_out " + scrapedOut + " != " + produced);
                summary += String.format(
                        Locale.ROOT,
                        " queue.wait mean=%.1f us max=%.1f us, scrape ok",
                        in.measurements().queueWait.sumNanos() / 1e3 / Math.max(1, waits),
                        in.measurements().queueWait.maxNanos() / 1e3);
                registry.close();
            }
            return summary;
        }

        /** The value of the first sample of {@code name} in a Prometheus text exposition. */
        static double scraped(String exposition, String name) {
            for (String line : exposition.lines().toList()) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new IllegalStateException("no " + name + " in the scrape:\n" + exposition);
        }
    }
}
