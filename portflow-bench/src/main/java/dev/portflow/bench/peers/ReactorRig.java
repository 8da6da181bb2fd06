package dev.portflow.bench.peers;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Project Reactor side of the race ({@code reactor-core}): one {@link Flux} per shape,
 * assembled once per trial and subscribed once per run (a cold {@code Flux} runs anew on every
 * subscription), with a thread per stage: a {@code Schedulers.newSingle} scheduler (one platform
 * thread each), created once per trial.
 *
 * <ul>
 *   <li>source: {@code Flux.generate} over the pre-allocated messages (its state is an
 *       {@code int[1]}, so nothing is boxed per message) {@code .subscribeOn(source)}: the generator
 *       runs on the source thread whenever downstream requests more;
 *   <li>each boundary: {@code .publishOn(next, 1024)}: a bounded queue of 1024 (prefetch; refilled
 *       once 768 were taken) drained by the next stage's thread; the same buffer size as Portflow's
 *       connections;
 *   <li>{@code map}: {@code source -> publishOn(map) -> map(..) -> publishOn(sink) -> sink};
 *   <li>{@code router_merge}: {@code source -> publishOn(router) -> groupBy(m % 4, 4096) ->
 *       flatMap(lane -> lane.publishOn(merge, 1024), 4, 1024) -> publishOn(sink) -> sink}.
 *       {@code groupBy} + {@code flatMap} is how Reactor splits a stream by key and merges it back
 *       (the reference guide's idiom): the router thread runs the key function and queues each
 *       message in its group, the 4 groups are the router's 4 outputs, the merge thread drains all
 *       four (as Portflow's merger reads its 4 input connections) and {@code flatMap} (concurrency 4,
 *       one group per key) merges them into the sink's queue. {@code publishOn} fuses with the
 *       group's own queue, so a lane's buffer is the group queue; {@code groupBy} bounds what all
 *       its groups hold together by its prefetch (it requests more from upstream only as groups are
 *       drained), hence 4 x 1024 = 4096: about 1024 per lane, since {@code message % 4} over
 *       consecutive values deals the lanes in turn, as Portflow's 4 connections of 1024.
 *       {@code parallel(4).runOn(..)} was not used: it assigns rails round-robin rather than by a
 *       key, and gives each rail its own thread, which is a different shape;
 *   <li>{@code batch}: {@code source -> publishOn(batch) -> buffer(100) -> publishOn(sink) -> sink}
 *       (the sink counts the messages in each {@code List}; the queue before the sink holds up to
 *       1024 batches, as in the other frameworks).
 * </ul>
 *
 * <p>The sink is a minimal {@link CoreSubscriber} that requests everything up front (the
 * {@code publishOn} before it bounds what is in flight) and counts; its {@code onComplete} releases
 * the benchmark thread. Threads: 3 platform threads ({@code map}, {@code batch}) or 4
 * ({@code router_merge}) plus the parked benchmark thread; on 2 cores they share the CPUs through
 * the OS scheduler.
 */
final class ReactorRig implements PeerRig {

    private final Shape shape;
    private final int messages;
    private final long expectedSum;
    private final List<Scheduler> schedulers;
    private final Flux<?> flux;
    private final PeerMessages.Tally tally = new PeerMessages.Tally();
    private int runs;

    ReactorRig(Shape shape, int messages) {
        this.shape = shape;
        this.messages = messages;
        this.expectedSum = shape.expectedSum(messages);
        Scheduler source = Schedulers.newSingle("reactor-source", true);
        Scheduler sink = Schedulers.newSingle("reactor-sink", true);
        int n = messages;
        Flux<Integer> generated = Flux.<Integer, int[]>generate(() -> new int[1], (state, out) -> {
                    int i = state[0]++;
                    out.next(PeerMessages.message(i));
                    if (i + 1 == n) {
                        out.complete();
                    }
                    return state;
                })
                .subscribeOn(source);
        switch (shape) {
            case MAP -> {
                Scheduler map = Schedulers.newSingle("reactor-map", true);
                schedulers = List.of(source, map, sink);
                flux = generated
                        .publishOn(map, CAPACITY)
                        .map(PeerMessages::mapped)
                        .publishOn(sink, CAPACITY);
            }
            case ROUTER_MERGE -> {
                Scheduler router = Schedulers.newSingle("reactor-router", true);
                Scheduler merge = Schedulers.newSingle("reactor-merge", true);
                schedulers = List.of(source, router, merge, sink);
                flux = generated
                        .publishOn(router, CAPACITY)
                        .groupBy(PeerMessages::lane, 4 * CAPACITY)
                        .flatMap(lane -> lane.publishOn(merge, CAPACITY), 4, CAPACITY)
                        .publishOn(sink, CAPACITY);
            }
            case BATCH -> {
                Scheduler batch = Schedulers.newSingle("reactor-batch", true);
                schedulers = List.of(source, batch, sink);
                flux = generated.publishOn(batch, CAPACITY).buffer(BATCH).publishOn(sink, CAPACITY);
            }
            default -> throw new IllegalArgumentException(shape.name());
        }
    }

    @Override
    public void prepare() {
        tally.reset();
    }

    @Override
    public long run() throws Exception {
        Counting subscriber = new Counting(tally, shape == Shape.BATCH);
        flux.subscribe(subscriber);
        if (!subscriber.done.await(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            subscriber.cancel();
            throw new IllegalStateException("reactor " + shape + ": run did not finish within " + RUN_TIMEOUT_SECONDS
                    + " s (suspected hang); sink saw " + tally.count + " messages");
        }
        if (subscriber.error != null) {
            throw new IllegalStateException("reactor " + shape + ": the stream failed", subscriber.error);
        }
        tally.verify("reactor " + shape, messages, expectedSum, shape.batchSize());
        runs++;
        return tally.count;
    }

    @Override
    public String describe() {
        return "reactor(" + shape + ") run " + runs + ": sink saw " + tally.count + " messages";
    }

    @Override
    public void close() {
        schedulers.forEach(Scheduler::dispose);
    }

    /** The sink: counts (and sums) every message, or every message of every batch. */
    static final class Counting implements CoreSubscriber<Object> {
        private final PeerMessages.Tally tally;
        private final boolean batches;
        final CountDownLatch done = new CountDownLatch(1);
        volatile @Nullable Throwable error;
        private volatile @Nullable Subscription subscription;

        Counting(PeerMessages.Tally tally, boolean batches) {
            this.tally = tally;
            this.batches = batches;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onNext(Object message) {
            if (batches) {
                tally.addBatch((List<Integer>) message);
            } else {
                tally.add((Integer) message);
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        void cancel() {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
