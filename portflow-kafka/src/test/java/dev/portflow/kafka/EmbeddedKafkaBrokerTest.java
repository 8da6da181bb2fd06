package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Smoke test of {@link EmbeddedKafkaBroker}: a real broker, real clients, real consumer groups. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void producesAndConsumesEveryRecordExactlyOnce() throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("smoke");
        kafka.createTopic(topic, 3);

        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(); // done after flush(); throws if the broker refused the record
            }
        }

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(EmbeddedKafkaBroker.uniqueTopic("group"), true)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 1000 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // One more poll: a duplicate would show up here.
            consumer.poll(Duration.ofMillis(300)).forEach(record -> values.add(record.value()));
            assertThat(consumer.assignment()).hasSize(3);
        }

        assertThat(values)
                .hasSize(1000)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 1000).mapToObj(i -> "value-" + i).toList());
    }

    @Test
    void consumerGroupLagIsTheNumberOfUncommittedRecords() throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("lag");
        kafka.createTopic(topic, 3);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);

        // 30 records in each partition.
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, i % 3, "key-" + i, "value-" + i)));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(); // done after flush(); throws if the broker refused the record
            }
        }

        // The group reads everything but commits only part: all of p0, 12 records of p1, nothing of p2.
        String group = EmbeddedKafkaBroker.uniqueTopic("lag-group");
        try (KafkaConsumer<String, String> consumer = consumer(group, false)) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < 90 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(90);
            consumer.commitSync(Map.of(
                    p0, new OffsetAndMetadata(30),
                    p1, new OffsetAndMetadata(12)));
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // 1. The group's committed offsets; a partition the group never committed is absent.
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            assertThat(committed).containsOnlyKeys(p0, p1);
            assertThat(Objects.requireNonNull(committed.get(p0)).offset()).isEqualTo(30);
            assertThat(Objects.requireNonNull(committed.get(p1)).offset()).isEqualTo(12);

            // 2. The topic's partitions (to find those without a commit) and their end offsets.
            List<TopicPartition> partitions = Objects.requireNonNull(admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(topic))
                    .partitions()
                    .stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> latest = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> earliest = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest())))
                    .all()
                    .get(10, TimeUnit.SECONDS);

            // 3. lag = end offset - committed offset; with no commit, from the log start offset.
            Map<TopicPartition, Long> lag = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata commit = committed.get(tp);
                long from = commit != null
                        ? commit.offset()
                        : Objects.requireNonNull(earliest.get(tp)).offset();
                lag.put(tp, Objects.requireNonNull(latest.get(tp)).offset() - from);
            }

            assertThat(latest.values())
                    .extracting(ListOffsetsResultInfo::offset)
                    .containsOnly(30L);
            assertThat(lag).containsExactlyInAnyOrderEntriesOf(Map.of(p0, 0L, p1, 18L, p2, 30L));
            assertThat(lag.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(90 - 30 - 12);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, String> consumer(String group, boolean autoCommit) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }
}
