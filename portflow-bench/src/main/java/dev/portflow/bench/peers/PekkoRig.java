package dev.portflow.bench.peers;

import com.typesafe.config.ConfigFactory;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.ClosedShape;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.UniformFanInShape;
import org.apache.pekko.stream.UniformFanOutShape;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.GraphDSL;
import org.apache.pekko.stream.javadsl.Merge;
import org.apache.pekko.stream.javadsl.Partition;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Apache Pekko Streams side of the race ({@code pekko-stream}): one {@link RunnableGraph} per
 * shape, built once per trial and materialized once per run, on one {@link ActorSystem} per trial
 * (default configuration but for log levels).
 *
 * <p>Each stage is its own <em>island</em>: an {@code .async} boundary makes everything inside it
 * run in one actor, and the actors run on the system's default dispatcher, a fork-join pool of
 * {@code max(8, cores)} threads with the defaults (so up to 8 threads on 2 cores, while only as many
 * as there are runnable islands are busy). Every boundary has a {@code .buffer(1024,
 * OverflowStrategy.backpressure())} on its upstream side, the same capacity as Portflow's
 * connections; the async boundary itself adds its default input buffer of 16 elements, requested
 * from upstream in batches.
 *
 * <ul>
 *   <li>source: {@code Source.fromIterator} over the pre-allocated messages (a fresh iterator per
 *       materialization; no boxing, no allocation per message), {@code .buffer(1024).async()};
 *   <li>{@code map}: {@code source -> map(..).buffer(1024).async() -> Sink.foreach};
 *   <li>{@code router_merge}: a {@code GraphDSL}: source island &rarr; router island
 *       ({@code Partition(4, m % 4)}, each of its 4 outputs through {@code .buffer(1024)}) &rarr; 4
 *       edges &rarr; merge island ({@code Merge(4)}, then {@code .buffer(1024)}) &rarr;
 *       {@code Sink.foreach};
 *   <li>{@code batch}: {@code source -> grouped(100).buffer(1024).async() -> Sink.foreach} counting
 *       the messages in each batch.
 * </ul>
 *
 * <p>{@link #run()} is the materialization ({@code run(materializer)}: creating the islands' actors
 * and wiring them, the counterpart of Portflow's {@code start()}) plus the whole stream plus waiting
 * for the sink's completion future.
 */
final class PekkoRig implements PeerRig {

    private final Shape shape;
    private final int messages;
    private final long expectedSum;
    private final ActorSystem system;
    private final Materializer materializer;
    private final RunnableGraph<CompletionStage<Done>> graph;
    private final PeerMessages.Tally tally = new PeerMessages.Tally();
    private int runs;

    PekkoRig(Shape shape, int messages) {
        this.shape = shape;
        this.messages = messages;
        this.expectedSum = shape.expectedSum(messages);
        this.system = ActorSystem.create(
                "peers",
                ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING\n")
                        .withFallback(ConfigFactory.load()));
        this.materializer = Materializer.matFromSystem(system);
        int n = messages;
        Source<Integer, NotUsed> source = Source.fromIterator(() -> new Messages(n))
                .buffer(CAPACITY, OverflowStrategy.backpressure())
                .async();
        PeerMessages.Tally t = tally;
        this.graph = switch (shape) {
            case MAP ->
                source.via(Flow.of(Integer.class)
                                .map(PeerMessages::mapped)
                                .buffer(CAPACITY, OverflowStrategy.backpressure())
                                .async())
                        .toMat(Sink.foreach(t::add), (left, right) -> right);
            case BATCH ->
                source.via(Flow.of(Integer.class)
                                .grouped(BATCH)
                                .buffer(CAPACITY, OverflowStrategy.backpressure())
                                .async())
                        .toMat(Sink.<List<Integer>>foreach(t::addBatch), (left, right) -> right);
            case ROUTER_MERGE -> routerMerge(source, Sink.foreach(t::add));
        };
    }

    /** source island -> router island (Partition(4) + 4 buffers) -> merge island (Merge(4) + buffer) -> sink. */
    private static RunnableGraph<CompletionStage<Done>> routerMerge(
            Source<Integer, NotUsed> source, Sink<Integer, CompletionStage<Done>> sink) {
        Graph<UniformFanOutShape<Integer, Integer>, NotUsed> router = GraphDSL.create(b -> {
            UniformFanOutShape<Integer, Integer> partition =
                    b.add(Partition.create(Integer.class, 4, PeerMessages::lane));
            @SuppressWarnings({"unchecked", "rawtypes"})
            Outlet<Integer>[] outs = new Outlet[4];
            for (int i = 0; i < 4; i++) {
                FlowShape<Integer, Integer> buffer =
                        b.add(Flow.of(Integer.class).buffer(CAPACITY, OverflowStrategy.backpressure()));
                b.from(partition.out(i)).toInlet(buffer.in());
                outs[i] = buffer.out();
            }
            return new UniformFanOutShape<>(partition.in(), outs);
        });
        Graph<UniformFanInShape<Integer, Integer>, NotUsed> merge = GraphDSL.create(b -> {
            UniformFanInShape<Integer, Integer> fanIn = b.add(Merge.create(Integer.class, 4));
            FlowShape<Integer, Integer> buffer =
                    b.add(Flow.of(Integer.class).buffer(CAPACITY, OverflowStrategy.backpressure()));
            b.from(fanIn.out()).toInlet(buffer.in());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Inlet<Integer>[] ins = new Inlet[4];
            for (int i = 0; i < 4; i++) {
                ins[i] = fanIn.in(i);
            }
            return new UniformFanInShape<>(buffer.out(), ins);
        });
        return RunnableGraph.fromGraph(GraphDSL.create(sink, (b, sinkShape) -> {
            SourceShape<Integer> src = b.add(source);
            UniformFanOutShape<Integer, Integer> r = b.add(router.async());
            UniformFanInShape<Integer, Integer> m = b.add(merge.async());
            b.from(src).toFanOut(r);
            for (int i = 0; i < 4; i++) {
                b.from(r.out(i)).toInlet(m.in(i));
            }
            b.from(m.out()).to(sinkShape);
            return ClosedShape.getInstance();
        }));
    }

    @Override
    public void prepare() {
        tally.reset();
    }

    @Override
    public long run() throws Exception {
        CompletionStage<Done> done = graph.run(materializer);
        try {
            done.toCompletableFuture().get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "pekko " + shape + ": run did not finish within " + RUN_TIMEOUT_SECONDS
                            + " s (suspected hang); sink saw " + tally.count + " messages",
                    e);
        }
        tally.verify("pekko " + shape, messages, expectedSum, shape.batchSize());
        runs++;
        return tally.count;
    }

    @Override
    public String describe() {
        return "pekko(" + shape + ") run " + runs + ": sink saw " + tally.count + " messages";
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Messages {@code 0..n-1} of a run, as an iterator (one per materialization). */
    private static final class Messages implements Iterator<Integer> {
        private final int n;
        private int next;

        Messages(int n) {
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return next < n;
        }

        @Override
        public Integer next() {
            return PeerMessages.message(next++);
        }
    }
}
