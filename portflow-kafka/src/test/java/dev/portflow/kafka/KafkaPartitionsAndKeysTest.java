package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The partitions an edge's topic is created with (by whichever end comes first; an existing topic is
 * left as it is, with one warning) and records keyed by a field of the message, against a real broker.
 */
@Timeout(120)
class KafkaPartitionsAndKeysTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static Admin admin;

    @BeforeAll
    static void openAdmin() {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers()));
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    private static KafkaEdge edge(String prefix) {
        return new KafkaEdge("p", "gen", "out_x", "sink", "in_x", EmbeddedKafkaBroker.uniqueTopic(prefix), 10_000);
    }

    private static int partitionsOf(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        return Objects.requireNonNull(description, topic).partitions().size();
    }

    /** The JUL records of the module's logger while {@code action} runs. */
    private static List<LogRecord> logged(Runnable action) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jul = Logger.getLogger("dev.portflow.kafka");
        jul.addHandler(handler);
        try {
            action.run();
        } finally {
            jul.removeHandler(handler);
        }
        return records;
    }

    @Test
    void theSendingEndCreatesTheTopicWithTheEdgesPartitions() throws Exception {
        KafkaEdge edge = edge("send").withPartitions(4);
        KAFKA.transport().sendingLink(edge, MessageCodec.jsonMessages());
        assertThat(partitionsOf(edge.topic())).isEqualTo(4);
    }

    @Test
    void theReceivingEndCreatesItWithThemToo() throws Exception {
        KafkaEdge edge = edge("receive").withPartitions(3);
        KAFKA.transport().receiver(edge, MessageCodec.jsonMessages());
        assertThat(partitionsOf(edge.topic())).isEqualTo(3);
    }

    @Test
    void withoutPartitionsTheBrokersDefaultApplies() throws Exception {
        KafkaEdge edge = edge("default");
        assertThat(edge.partitions()).isEmpty();
        KAFKA.transport().sendingLink(edge, MessageCodec.jsonMessages());
        assertThat(partitionsOf(edge.topic()))
                .as("the embedded broker's num.partitions")
                .isEqualTo(1);
    }

    @Test
    void anExistingTopicIsLeftAsItIsWithOneWarningThoughBothEndsEnsureIt() throws Exception {
        KafkaEdge edge = edge("exists").withPartitions(5);
        KAFKA.broker().createTopic(edge.topic(), 2);
        KafkaTransport kafka = KAFKA.transport();
        List<LogRecord> records = logged(() -> {
            kafka.sendingLink(edge, MessageCodec.jsonMessages());
            kafka.receiver(edge, MessageCodec.jsonMessages());
        });
        assertThat(partitionsOf(edge.topic())).isEqualTo(2);
        List<LogRecord> warnings =
                records.stream().filter(r -> Level.WARNING.equals(r.getLevel())).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst().getMessage())
                .startsWith(
                        "topic " + edge.topic() + " exists with 2 partitions, not the 5 asked for; it is used as it is")
                .endsWith("; add partitions with kafka-topics.sh --alter --partitions 5 once its consumers have caught"
                        + " up, or ask for 2");

        KafkaEdge fewer = edge("fewer").withPartitions(1);
        KAFKA.broker().createTopic(fewer.topic(), 3);
        assertThat(logged(() -> KAFKA.transport().receiver(fewer, MessageCodec.jsonMessages())))
                .filteredOn(r -> Level.WARNING.equals(r.getLevel()))
                .singleElement()
                .extracting(LogRecord::getMessage)
                .asString()
                .startsWith("topic " + fewer.topic() + " exists with 3 partitions, not the 1 asked for")
                .endsWith("; Kafka cannot take partitions away: recreate the topic, or ask for 3");
        assertThat(partitionsOf(fewer.topic())).isEqualTo(3);

        KafkaEdge same = edge("same").withPartitions(2);
        KAFKA.broker().createTopic(same.topic(), 2);
        assertThat(logged(() -> KAFKA.transport().sendingLink(same, MessageCodec.jsonMessages())))
                .as("an existing topic with the count asked for")
                .noneMatch(r -> Level.WARNING.equals(r.getLevel()));
    }

    @Test
    void partitionsOutsideOneToTenThousandAreRefused() {
        KafkaEdge edge = edge("bad");
        for (int bad : new int[] {0, -1, 10_001}) {
            assertThatThrownBy(() -> edge.withPartitions(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the partitions of topic " + edge.topic() + " must be 1 to 10000, was " + bad);
            assertThatThrownBy(() -> KAFKA.transport().ensureTopic(edge.topic(), bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(edge.withPartitions(10_000).partitions()).hasValue(10_000);
    }

    @Test
    void recordsAreKeyedByTheFieldSoEachKeyStaysInOnePartitionInOrder() throws Exception {
        KafkaEdge edge = edge("keyed").withPartitions(4);
        KafkaTransport kafka = KAFKA.transport();
        int count = 400;
        List<JsonMessage> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("n", i);
            if (i % 50 != 49) { // every 50th has no customer: sent unkeyed
                body.put("customer", "c-" + (i % 7));
            }
            sent.add(new JsonMessage("id-" + i, Instant.now(), null, body));
        }
        Pipeline sender = Pipeline.builder("keyed")
                .source("gen", JsonMessage.class, context -> {
                    for (JsonMessage m : sent) {
                        context.emit(m);
                    }
                })
                .connect(
                        "gen.out_x",
                        kafka.sendingLink(edge, MessageCodec.jsonMessages("customer")),
                        ConnectionOptions.defaults().capacity(10_000).overflow(OverflowPolicy.BLOCK))
                .build()
                .start();
        KAFKA.closeAfterTest(sender);
        assertThat(sender.awaitTermination(Duration.ofSeconds(60))).isTrue();

        List<ConsumerRecord<byte[], byte[]>> records = readAll(edge.topic(), count);
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, List<Integer>> nsOfKey = new HashMap<>();
        int unkeyed = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Map<?, ?> value = json.readValue(r.value(), Map.class);
            int n = ((Number) Objects.requireNonNull(value.get("n"), "n")).intValue();
            if (r.key() == null) {
                assertThat(value.containsKey("customer"))
                        .as("only a message without the field is unkeyed")
                        .isFalse();
                unkeyed++;
                continue;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).as("the key is the field's value").isEqualTo(value.get("customer"));
            assertThat(partitionOfKey.computeIfAbsent(key, k -> r.partition()))
                    .as("every record of key " + key + " in one partition")
                    .isEqualTo(r.partition());
            nsOfKey.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
        assertThat(unkeyed).isEqualTo(count / 50);
        assertThat(nsOfKey).hasSize(7);
        nsOfKey.forEach((key, ns) ->
                assertThat(ns).as("key " + key + " in the order sent").isSorted());
        assertThat(Set.copyOf(partitionOfKey.values()).size())
                .as("7 keys over 4 partitions use more than one")
                .isGreaterThan(1);
    }

    /** Every record of {@code topic} (all partitions, from the start), in each partition's order. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < partitionsOf(topic); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("every record read back").hasSize(count);
        return records;
    }
}
