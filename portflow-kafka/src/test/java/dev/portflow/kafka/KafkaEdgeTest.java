package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.RemoteLink;
import dev.portflow.port.SendOutcome;
import dev.portflow.runtime.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pipeline connection through a real Kafka broker: the sending pipeline and the receiving one
 * are separate {@link Pipeline}s (as in two processes) joined only by the topic.
 */
class KafkaEdgeTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static JsonMessage message(int i) {
        return new JsonMessage("id-" + i, Instant.now(), null, Map.of("n", i));
    }

    /** The sending half: a source that sends {@code count} messages through the link. */
    private Pipeline sender(
            String pipeline, KafkaEdge edge, KafkaTransport kafka, int count, SimpleMeterRegistry registry) {
        Pipeline p = Pipeline.builder(pipeline)
                .meterRegistry(registry)
                .source(edge.fromComponent(), JsonMessage.class, context -> {
                    for (int i = 0; i < count && context.isRunning(); i++) {
                        context.emit(message(i));
                    }
                })
                .connect(
                        edge.fromComponent() + "." + edge.fromPort(),
                        kafka.sendingLink(edge, MessageCodec.jsonMessages()),
                        ConnectionOptions.defaults()
                                .capacity((int) edge.capacity())
                                .overflow(OverflowPolicy.BLOCK))
                .build();
        return KAFKA.closeAfterTest(p);
    }

    /** The receiving half: the Kafka receiver feeding a sink that records ids. */
    private Pipeline receiver(
            String pipeline, KafkaEdge edge, KafkaTransport kafka, List<String> ids, SimpleMeterRegistry registry) {
        return KAFKA.closeAfterTest(
                ReceivingHalf.build(Pipeline.builder(pipeline).meterRegistry(registry), edge, kafka, ids));
    }

    @Test
    void everyMessageCrossesTheTopicOnceAndTheLagReturnsToZero() {
        KafkaEdge edge = new KafkaEdge(
                "orders", "api", "out_orders", "store", "in_orders", EmbeddedKafkaBroker.uniqueTopic("orders"), 10_000);
        KAFKA.broker().createTopic(edge.topic(), 3);
        KafkaTransport kafka = KAFKA.transport();
        List<String> ids = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry sending = new SimpleMeterRegistry();
        SimpleMeterRegistry receiving = new SimpleMeterRegistry();
        Pipeline in = receiver("orders", edge, kafka, ids, receiving).start();
        Pipeline out = sender("orders", edge, kafka, 2000, sending).start();

        await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() >= 2000);
        assertThat(Set.copyOf(ids)).hasSize(2000);
        assertThat(ids).hasSize(2000);
        // every record committed once handled: the lag, the receiving port's depth, goes back to 0
        await().atMost(Duration.ofSeconds(20))
                .until(() -> in.inputPort("store", "in_orders").counters().depth() == 0
                        && out.outputPort("api", "out_orders").counters().depth() == 0);

        // the same meter names as an in-process edge, tagged transport=kafka, on both sides
        assertThat(sending.get("portflow.port.messages.out")
                        .tag("port", "out_orders")
                        .tag("transport", "kafka")
                        .functionCounter()
                        .count())
                .isEqualTo(2000.0);
        assertThat(receiving
                        .get("portflow.port.messages.in")
                        .tag("port", "in_orders")
                        .tag("transport", "kafka")
                        .functionCounter()
                        .count())
                .isEqualTo(2000.0);
        assertThat(receiving
                        .get("portflow.port.queue.depth")
                        .tag("port", "in_orders")
                        .tag("transport", "kafka")
                        .gauge())
                .isNotNull();
        assertThat(receiving
                        .get("portflow.port.buffer.capacity")
                        .tag("port", "in_orders")
                        .gauge()
                        .value())
                .isEqualTo(10_000.0);
        // message age continues across the hop (it counts from the record's origin, not the receive)
        assertThat(in.inputPort("store", "in_orders").counters().messageAges().count())
                .isEqualTo(2000);
    }

    @Test
    void aFullEdgeAppliesTheSendersOverflowPolicyWhenTheLagReachesItsCapacity() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "lagging", "api", "out_x", "slow", "in_x", EmbeddedKafkaBroker.uniqueTopic("lagging"), 100);
        KAFKA.broker().createTopic(edge.topic(), 2);
        KafkaTransport kafka = KAFKA.transport();
        RemoteLink<JsonMessage> link = kafka.sendingLink(edge, MessageCodec.jsonMessages());
        OutputPort<JsonMessage> out = new OutputPort<>("out_x", JsonMessage.class);
        out.attachRemote(
                link,
                ConnectionOptions.defaults()
                        .capacity(100)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofMillis(200)));

        // nobody consumes: the lag grows with every accepted message, and stops at the capacity
        for (int i = 0; i < 100; i++) {
            assertThat(out.send(message(i))).as("message " + i).isEqualTo(SendOutcome.ACCEPTED);
        }
        assertThat(out.send(message(100))).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(out.counters().dropped(dev.portflow.metrics.DropReason.TIMEOUT))
                .isEqualTo(1);
        // the broker agrees: the group's lag is exactly what was accepted
        await().atMost(Duration.ofSeconds(10)).until(() -> link.depth() == 100);
    }

    /**
     * The lag is read while the last record that fills the edge is still in flight (given room, not
     * yet in the topic): the read must not count it as written, or the next send finds room that is
     * not there. Failed in CI before the fix (ACCEPTED instead of TIMED_OUT): the read subtracted
     * every record given room, in flight or not, from what it had not seen yet.
     */
    @Test
    void aLagReadWhileARecordIsInFlightStillCountsIt() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "inflight", "api", "out_x", "slow", "in_x", EmbeddedKafkaBroker.uniqueTopic("inflight"), 100);
        KAFKA.broker().createTopic(edge.topic(), 1);
        KafkaSettings settings = KafkaSettings.of(KAFKA.broker().bootstrapServers());
        org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(settings.admin("inflight"));
        KAFKA.closeAfterTest(admin);
        org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> real =
                new org.apache.kafka.clients.producer.KafkaProducer<>(settings.producerProperties("inflight"));
        KAFKA.closeAfterTest(real);
        // a producer that, once held, keeps a record from the broker until released
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        @SuppressWarnings("unchecked")
        org.apache.kafka.clients.producer.Producer<byte[], byte[]> held =
                (org.apache.kafka.clients.producer.Producer<byte[], byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {org.apache.kafka.clients.producer.Producer.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("send") && hold.get()) {
                                entered.countDown();
                                release.await();
                            }
                            return method.invoke(real, args);
                        });
        java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        // read at start, then once a second: one read falls inside the hold below, none right after it
        ConsumerLag lag = new ConsumerLag(admin, edge, Duration.ofSeconds(1), produced, written).start();
        KAFKA.closeAfterTest(lag);
        java.util.concurrent.ScheduledExecutorService resender =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        KAFKA.closeAfterTest(resender);
        KafkaSendingLink<JsonMessage> link = new KafkaSendingLink<>(
                edge,
                MessageCodec.jsonMessages(),
                held,
                produced,
                written,
                lag,
                resender,
                KafkaSendingLink.STALL_NANOS);
        OutputPort<JsonMessage> out = new OutputPort<>("out_x", JsonMessage.class);
        out.attachRemote(
                link,
                ConnectionOptions.defaults()
                        .capacity(100)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofMillis(200)));
        for (int i = 0; i < 99; i++) {
            assertThat(out.send(message(i))).as("message " + i).isEqualTo(SendOutcome.ACCEPTED);
        }

        hold.set(true);
        java.util.concurrent.CompletableFuture<SendOutcome> last =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.send(message(99));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_300); // the lag reader reads while message 99 is in flight: the topic holds 99
        hold.set(false);
        release.countDown();
        assertThat(last.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);

        assertThat(out.send(message(100))).as("the 101st message").isEqualTo(SendOutcome.TIMED_OUT);
    }

    @Test
    void aReceiverThatStopsWithoutFinishingLeavesTheRestToTheNextOne() throws Exception {
        // at-least-once: a receiver that stops before its sink finished leaves those records uncommitted
        KafkaEdge edge = new KafkaEdge(
                "resume", "gen", "out_x", "sink", "in_x", EmbeddedKafkaBroker.uniqueTopic("resume"), 10_000);
        KAFKA.broker().createTopic(edge.topic(), 1);
        KafkaTransport kafka = KAFKA.transport();
        Pipeline out =
                sender("resume", edge, kafka, 200, new SimpleMeterRegistry()).start();
        out.awaitTermination(Duration.ofSeconds(30));

        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> firstRun = new CopyOnWriteArrayList<>();
        KafkaReceiver<JsonMessage> first = kafka.receiver(edge, MessageCodec.jsonMessages(), 10);
        Pipeline slow = Pipeline.builder("resume")
                .meterRegistry(new SimpleMeterRegistry())
                .source("kafka_in", JsonMessage.class, first)
                .sink("sink", JsonMessage.class, m -> {
                    firstRun.add(m.id());
                    seen.add(m.id());
                    Thread.sleep(20);
                })
                .connect(
                        "kafka_in.out_records",
                        "sink.in_x",
                        ConnectionOptions.defaults().capacity(10))
                .bindRemote("sink.in_x", first.backlog())
                .build();
        first.watch(slow);
        slow.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> firstRun.size() >= 50);
        slow.drain(Duration.ofSeconds(30));

        List<String> secondRun = new CopyOnWriteArrayList<>();
        Pipeline second = receiver("resume", edge, kafka, secondRun, new SimpleMeterRegistry())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Set<String> all = ConcurrentHashMap.newKeySet();
            all.addAll(firstRun);
            all.addAll(secondRun);
            return all.size() == 200;
        });
        // nothing lost; what the first run finished and committed is not read again
        assertThat(secondRun).doesNotContainAnyElementsOf(firstRun);
        second.drain(Duration.ofSeconds(10));
    }

    /**
     * Issue 12: a receiving stage on 4 workers finishes records out of order. While an early record is
     * still being handled, later ones finish, and the committed offset must not pass the early one (a
     * crash then would lose it); once it finishes, the commit moves past all of them.
     */
    @Test
    void withFourWorkersTheCommitNeverPassesARecordStillBeingHandled() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "workers", "api", "out_x", "store", "in_x", EmbeddedKafkaBroker.uniqueTopic("workers"), 10_000);
        KAFKA.broker().createTopic(edge.topic(), 1); // one partition: offsets are the order of the records
        KafkaTransport kafka = KAFKA.transport();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        KafkaReceiver<JsonMessage> receiving = kafka.receiver(edge, MessageCodec.jsonMessages(), 50);
        Pipeline in = Pipeline.builder("workers")
                .source("kafka_in", JsonMessage.class, receiving)
                .sink("store", JsonMessage.class, m -> {
                    if (m.id().equals("id-3")) {
                        release.await(); // the 4th record hangs while the others go on
                    }
                    handled.incrementAndGet();
                })
                .connect(
                        "kafka_in.out_records",
                        "store.in_x",
                        ConnectionOptions.defaults().capacity(receiving.prefetch()))
                .bindRemote("store.in_x", receiving.backlog())
                .workers("store", 4)
                .build();
        receiving.watch(in);
        KAFKA.closeAfterTest(in);
        in.start();
        sender("workers", edge, kafka, 200, new SimpleMeterRegistry()).start();

        await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() == 199);
        Thread.sleep(1_000); // time for commits to happen, were they to pass record 3
        assertThat(committed(edge))
                .as("committed offset while record 3 is handled")
                .isLessThanOrEqualTo(3);

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(edge) == 200);
    }

    /**
     * Issue 13 F6: when the receiving component dies (an error outside any one message), its input
     * refuses further messages; the Kafka receiver then stops reading, commits exactly what was
     * finished, and the next run reads the rest. Before, it went on fetching and dropping records.
     */
    @Test
    void whenTheReceivingComponentDiesTheReceiverStopsAndCommitsOnlyWhatWasFinished() throws Exception {
        KafkaEdge edge =
                new KafkaEdge("dies", "gen", "out_x", "sink", "in_x", EmbeddedKafkaBroker.uniqueTopic("dies"), 10_000);
        KAFKA.broker().createTopic(edge.topic(), 1);
        KafkaTransport kafka = KAFKA.transport();
        sender("dies", edge, kafka, 200, new SimpleMeterRegistry()).start().awaitTermination(Duration.ofSeconds(30));

        List<String> firstRun = new CopyOnWriteArrayList<>();
        KafkaReceiver<JsonMessage> first = kafka.receiver(edge, MessageCodec.jsonMessages(), 10);
        Pipeline dying = Pipeline.builder("dies")
                .meterRegistry(new SimpleMeterRegistry())
                .source("kafka_in", JsonMessage.class, first)
                .sink("sink", JsonMessage.class, m -> {
                    if (m.id().equals("id-50")) {
                        throw new OutOfMemoryError("simulated");
                    }
                    firstRun.add(m.id());
                })
                .connect(
                        "kafka_in.out_records",
                        "sink.in_x",
                        ConnectionOptions.defaults().capacity(10))
                .bindRemote("sink.in_x", first.backlog())
                .build();
        first.watch(dying);
        KAFKA.closeAfterTest(dying);
        dying.start();
        assertThat(dying.awaitTermination(Duration.ofSeconds(30)))
                .as("the receiver stops reading")
                .isTrue();
        assertThat(firstRun).hasSize(50);
        assertThat(committed(edge)).isEqualTo(50);

        List<String> secondRun = new CopyOnWriteArrayList<>();
        Pipeline second = receiver("dies", edge, kafka, secondRun, new SimpleMeterRegistry())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> secondRun.size() >= 150);
        assertThat(secondRun).first().isEqualTo("id-50");
        assertThat(secondRun).doesNotContainAnyElementsOf(firstRun).hasSize(150);
        second.drain(Duration.ofSeconds(10));
    }

    /** The next offset the receiving group has committed on partition 0 (0 when none). */
    private static long committed(KafkaEdge edge) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()))) {
            var offsets = admin.listConsumerGroupOffsets(edge.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get();
            var meta = offsets.get(new org.apache.kafka.common.TopicPartition(edge.topic(), 0));
            return meta == null ? 0 : meta.offset();
        }
    }
}
