package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Merger;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineLifecycleTest {

    @Test
    void endOfStreamPropagatesThroughThreeStages() throws Exception {
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sinkCleanedUp = new AtomicBoolean();
        Pipeline pipeline = Pipeline.builder("eos")
                .source("numbers", Integer.class, ctx -> {
                    for (int i = 0; i < 10_000; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("double", Integer.class, Integer.class, Transformer.map(i -> i * 2))
                .sink("collect", Integer.class, new Sink<>() {
                    @Override
                    public void accept(Integer message) {
                        received.add(message);
                    }

                    @Override
                    public void cleanup() {
                        sinkCleanedUp.set(true);
                    }
                })
                .connect(
                        "numbers.out_numbers",
                        "double.in_numbers",
                        ConnectionOptions.defaults().capacity(8))
                .connect(
                        "double.out_numbers",
                        "collect.in_numbers",
                        ConnectionOptions.defaults().capacity(8))
                .build();

        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(30))).isTrue();

        assertThat(received).hasSize(10_000);
        for (int i = 0; i < received.size(); i++) {
            assertThat(received.get(i)).isEqualTo(i * 2);
        }
        assertThat(sinkCleanedUp).isTrue();
        assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(pipeline.inputPort("collect", "in_numbers").isEndOfStream()).isTrue();
        assertThat(pipeline.inputPort("collect", "in_numbers").metrics().messagesIn())
                .isEqualTo(10_000);
        assertThat(pipeline.outputPort("numbers", "out_numbers").metrics().messagesOut())
                .isEqualTo(10_000);
    }

    @Test
    void drainOfAFullPipelineDeliversEveryAcceptedMessageExactlyOnce() throws Exception {
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        Source<Long> endless = ctx -> {
            for (long i = 0; ctx.isRunning(); i++) {
                if (ctx.emit(i).isAccepted()) {
                    accepted.add(i);
                }
            }
        };
        Pipeline pipeline = Pipeline.builder("drain")
                .source("ids", Long.class, endless)
                .transformer("pass", Long.class, Long.class, Transformer.map(x -> x))
                .sink("slow", Long.class, id -> {
                    Thread.sleep(1);
                    delivered.add(id);
                })
                .connect(
                        "ids.out_ids",
                        "pass.in_ids",
                        ConnectionOptions.defaults().capacity(32))
                .connect(
                        "pass.out_ids",
                        "slow.in_ids",
                        ConnectionOptions.defaults().capacity(32))
                .build();
        pipeline.start();

        // Let the slow sink fall behind until both buffers are full.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.inputPort("pass", "in_ids").metrics().queueDepth() == 32
                        && pipeline.inputPort("slow", "in_ids").metrics().queueDepth() == 32);

        DrainReport report = pipeline.drain(Duration.ofSeconds(20));

        assertThat(report.completed()).isTrue();
        assertThat(report.leftovers()).containsOnlyKeys("pass.in_ids", "slow.in_ids");
        assertThat(report.leftovers().values()).containsOnly(0);
        assertThat(report.totalLeftovers()).isZero();
        assertThat(delivered).doesNotHaveDuplicates();
        assertThat(Set.copyOf(delivered)).isEqualTo(accepted);
        assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
    }

    @Test
    void drainOfAStuckPipelineReportsLeftoversAndStillEnds() throws Exception {
        Pipeline pipeline = Pipeline.builder("stuck")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; ctx.isRunning(); i++) {
                        ctx.emit(i);
                    }
                })
                .sink("never", Integer.class, id -> Thread.sleep(60_000))
                .connect(
                        "ids.out_ids",
                        "never.in_ids",
                        ConnectionOptions.defaults().capacity(4))
                .build();
        pipeline.start();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.inputPort("never", "in_ids").metrics().queueDepth() == 4);

        DrainReport report = pipeline.drain(Duration.ofMillis(300));

        assertThat(report.completed()).isFalse();
        // 4 buffered plus the one the sink was handling when it was stopped (issue 11, bug 16)
        assertThat(report.leftovers()).containsEntry("never.in_ids", 5);
        assertThat(report.unfinished())
                .extracting(DrainReport.Leftover::message)
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(report.unfinished()).allMatch(l -> l.port().equals("never.in_ids") && !l.redelivered());
        assertThat(report.lost()).isEqualTo(5);
        assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
    }

    @Test
    void mergerTakesFromEveryInputFairly() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Source<String> a = ctx -> {
            for (int i = 0; i < 500; i++) {
                ctx.emit("a" + i);
            }
        };
        Source<String> b = ctx -> {
            for (int i = 0; i < 500; i++) {
                ctx.emit("b" + i);
            }
        };
        AtomicInteger slowStart = new AtomicInteger();
        Pipeline pipeline = Pipeline.builder("merge")
                .source("a", String.class, a)
                .source("b", String.class, b)
                .merger("both", String.class, (message, port) -> {
                    if (slowStart.getAndIncrement() == 0) {
                        Thread.sleep(200); // both inputs fill up meanwhile
                    }
                    return message;
                })
                .sink("collect", String.class, order::add)
                .connect("a.out_a", "both.in_a", ConnectionOptions.defaults().capacity(16))
                .connect("b.out_b", "both.in_b", ConnectionOptions.defaults().capacity(16))
                .connect("both.out_all", "collect.in_all")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(30))).isTrue();

        assertThat(order).hasSize(1000);
        List<String> first = order.subList(1, 21); // after the first message both inputs were full
        long fromA = first.stream().filter(s -> s.startsWith("a")).count();
        assertThat(fromA).isBetween(8L, 12L);
    }

    @Test
    void everyDefinitionProblemIsReportedAtOnce() {
        Sink<Object> sink = m -> {};
        assertThatThrownBy(() -> Pipeline.builder("bad")
                        .source("src", ctx -> {})
                        .sink("dst", sink)
                        .sink("dst", sink)
                        .transformer("lonely", Transformer.map(x -> x))
                        .connect("src.out_x", "dst.in_x")
                        .connect("src.x", "dst.in_y")
                        .connect("src.out_z", "nowhere.in_z")
                        .connect("nodot", "dst.in_x")
                        .build())
                .isInstanceOfSatisfying(
                        PipelineDefinitionException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).contains("'dst' is declared twice"))
                                .anySatisfy(p -> assertThat(p).contains("'x' is not an output port name"))
                                .anySatisfy(p -> assertThat(p).contains("unknown component 'nowhere'"))
                                .anySatisfy(p -> assertThat(p).contains("'nodot' must be <component>.<port>"))
                                .anySatisfy(p -> assertThat(p).contains("transformer 'lonely' is not connected")));
    }

    @Test
    void cyclesAndKindViolationsAreRejected() {
        assertThatThrownBy(() -> Pipeline.builder("cycle")
                        .transformer("a", Transformer.map(x -> x))
                        .transformer("b", Transformer.map(x -> x))
                        .connect("a.out_x", "b.in_x")
                        .connect("b.out_x", "a.in_x")
                        .build())
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("cycle through [a, b]");

        assertThatThrownBy(() -> Pipeline.builder("kinds")
                        .source("src", ctx -> {})
                        .sink("dst", m -> {})
                        .connect("src.out_x", "dst.in_x")
                        .connect("dst.out_y", "src.in_y")
                        .build())
                .isInstanceOfSatisfying(
                        PipelineDefinitionException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).contains("source 'src' cannot have input ports"))
                                .anySatisfy(p -> assertThat(p).contains("sink 'dst' cannot have out_* ports")));
    }

    @Test
    void failedSetupCleansUpAndDoesNotStart() {
        AtomicBoolean firstCleaned = new AtomicBoolean();
        Pipeline pipeline = Pipeline.builder("setup")
                .source("src", Integer.class, new Source<>() {
                    @Override
                    public void run(dev.portflow.component.SourceContext<Integer> context) {}

                    @Override
                    public void cleanup() {
                        firstCleaned.set(true);
                    }
                })
                .sink("db", Integer.class, new Sink<>() {
                    @Override
                    public void setup(dev.portflow.component.ComponentContext context) {
                        throw new IllegalStateException("database unreachable");
                    }

                    @Override
                    public void accept(Integer message) {}
                })
                .connect("src.out_n", "db.in_n")
                .build();

        assertThatThrownBy(pipeline::start)
                .isInstanceOf(PipelineStartException.class)
                .hasMessageContaining("setup of component 'db' failed: database unreachable");
        assertThat(firstCleaned).isTrue();
        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
    }

    @Test
    void sendOutcomeReachesTheSource() throws Exception {
        List<SendOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = Pipeline.builder("outcomes")
                .source("src", Integer.class, ctx -> {
                    for (int i = 0; i < 5; i++) {
                        outcomes.add(ctx.emit(i));
                    }
                })
                .sink("blocked", Integer.class, m -> Thread.sleep(10_000))
                .connect(
                        "src.out_n",
                        "blocked.in_n",
                        ConnectionOptions.defaults().capacity(2).overflow(dev.portflow.port.OverflowPolicy.DROP_NEWEST))
                .build();
        pipeline.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 5);
        // one taken by the sink, two buffered, two refused
        assertThat(outcomes).filteredOn(o -> o == SendOutcome.DROPPED).hasSizeBetween(2, 3);
        pipeline.drain(Duration.ofMillis(100));
    }

    @Test
    void mergerWithDefaultFairPasses() throws Exception {
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = Pipeline.builder("fair")
                .source("src", ctx -> ctx.emit("x"))
                .merger("m", Merger.fair())
                .sink("s", got::add)
                .connect("src.out_x", "m.in_x")
                .connect("m.out_x", "s.in_x")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(got).containsExactly("x");
    }
}
