package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.kafka.EmbeddedKafkaBroker;
import dev.portflow.kafka.EmbeddedKafkaExtension;
import dev.portflow.runtime.DrainReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blueprints with a {@code transport: kafka} connection against a real broker (in this JVM): one
 * process holding both ends, and two assemblies split with {@code --only}; every message arrives
 * once, and the ports keep their metric names with the tag {@code transport="kafka"}.
 */
@Timeout(90)
class KafkaBlueprintsTest {

    private static final int COUNT = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** generator(count 200) -[kafka]-> jsonl_sink, on a fresh topic. */
    private static Blueprint blueprint(Path dir, String pipeline, String topic) throws IOException {
        Path file = Files.writeString(dir.resolve(pipeline + ".yaml"), """
                name: %s
                kafka: {bootstrap_servers: "%s", lag_refresh_ms: 50, prefetch: 64}
                components:
                  - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, flush_ms: 20}}
                connections:
                  - {from: gen.out_x, to: out.in_x, transport: kafka, topic: %s}
                """.formatted(
                        pipeline, KAFKA.broker().bootstrapServers(), COUNT, topic));
        return Blueprints.load(file);
    }

    @Test
    void bothEndsInOneProcessGoThroughTheTopic(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("one");
        KAFKA.broker().createTopic(topic, 1);
        Blueprint b = blueprint(dir, "one", topic);
        Path out = dir.resolve("out.jsonl");
        try (Assembly assembly =
                Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(assembly.usesKafka()).isTrue();
            assertThat(assembly.pipeline().components())
                    .extracting(c -> c.name())
                    .containsExactlyInAnyOrder("gen", "out", "kafka_in_out_in_x");
            assembly.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> GeneratedLines.lines(out).size() >= COUNT);
            DrainReport report = assembly.drainAndStop(Duration.ofSeconds(20));
            assertThat(report.completed()).isTrue();
            assertThat(assembly.pipeline().outputPort("gen", "out_x").metrics().messagesOut())
                    .isEqualTo(COUNT);
            assertThat(assembly.pipeline().outputPort("gen", "out_x").counters().transport())
                    .isEqualTo("kafka");
            assertThat(assembly.pipeline().inputPort("out", "in_x").counters().transport())
                    .isEqualTo("kafka");
        }
        GeneratedLines.assertEveryMessageOnce(out, COUNT, "the topic");
    }

    @Test
    void twoAssembliesSplitWithOnlyShareTheTopicAndKeepTheMetricNames(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("split");
        KAFKA.broker().createTopic(topic, 1);
        Blueprint b = blueprint(dir, "split", topic);
        Path out = dir.resolve("out.jsonl");
        try (Assembly receiving = Blueprints.assemble(
                        b, AssemblyOptions.defaults().port(0).only("out"));
                Assembly sending = Blueprints.assemble(
                        b, AssemblyOptions.defaults().withoutServer().only("gen"))) {
            assertThat(sending.componentsHere()).containsExactly("gen");
            assertThat(sending.pipeline().components())
                    .extracting(c -> c.name())
                    .containsExactly("gen");
            assertThat(receiving.componentsHere()).containsExactly("out");
            assertThat(receiving.pipeline().components())
                    .extracting(c -> c.name())
                    .containsExactlyInAnyOrder("kafka_in_out_in_x", "out");

            receiving.start();
            sending.start();
            assertThat(sending.pipeline().awaitTermination(Duration.ofSeconds(30)))
                    .as("the generator ends")
                    .isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> GeneratedLines.lines(out).size() >= COUNT);

            String sent = sending.meterRegistry().scrape();
            assertThat(sent)
                    .containsPattern(Pattern.quote("portflow_port_messages_out_total{component=\"gen\","
                            + "pipeline=\"split\",port=\"out_x\",transport=\"kafka\"} " + COUNT + ".0"));
            assertThat(sent)
                    .contains("portflow_port_buffer_capacity{component=\"gen\",pipeline=\"split\","
                            + "port=\"out_x\",transport=\"kafka\"} 10000.0");

            String base = receiving.server().orElseThrow().baseUri();
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .containsPattern("portflow_port_queue_depth\\{component=\"out\",pipeline=\"split\",port=\"in_x\","
                            + "transport=\"kafka\"} \\d+\\.0")
                    .containsPattern("portflow_port_messages_in_total\\{component=\"out\",pipeline=\"split\","
                            + "port=\"in_x\",transport=\"kafka\"} " + COUNT + ".0")
                    .contains("portflow_port_buffer_capacity{component=\"out\",pipeline=\"split\",port=\"in_x\","
                            + "transport=\"kafka\"} 10000.0");
            // the consumer lag, read every 50 ms, falls to 0 once everything was handled and committed
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiving
                                    .pipeline()
                                    .inputPort("out", "in_x")
                                    .counters()
                                    .depth()
                            == 0);

            assertThat(sending.drainAndStop(Duration.ofSeconds(10)).completed()).isTrue();
            DrainReport report = receiving.drainAndStop(Duration.ofSeconds(20));
            assertThat(report.completed()).isTrue();
        }
        GeneratedLines.assertEveryMessageOnce(out, COUNT, "the topic");
    }

    private static Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers()));
    }

    private static int partitionsOf(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        return Objects.requireNonNull(description, topic).partitions().size();
    }

    /**
     * gen(count 200) -> map (customer c0..c4, null for every tenth) -[kafka, topic, options]-> jsonl_sink:
     * options such as {@code , partitions: 3, key: customer}.
     */
    private static Blueprint keyed(Path dir, String pipeline, String topic, String options) throws IOException {
        Path file = Files.writeString(dir.resolve(pipeline + ".yaml"), """
                name: %s
                kafka: {bootstrap_servers: "%s", lag_refresh_ms: 50, prefetch: 64}
                components:
                  - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                  - {name: tag, recipe: map, config: {fields: {customer: "n %% 10 == 9 ? dyn(null) : dyn('c' + string(n %% 5))"}}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, flush_ms: 20}}
                connections:
                  - {from: gen.out_x, to: tag.in_x}
                  - {from: tag.out_x, to: out.in_x, transport: kafka, topic: %s%s}
                """.formatted(
                        pipeline, KAFKA.broker().bootstrapServers(), COUNT, topic, options));
        return Blueprints.load(file);
    }

    @Test
    void theTopicIsCreatedWithThePartitionsAndRecordsAreKeyedByTheField(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("keyed");
        Blueprint b = keyed(dir, "keyed", topic, ", partitions: 3, key: customer");
        Path out = dir.resolve("out.jsonl");
        try (Assembly assembly =
                Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assembly.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> GeneratedLines.lines(out).size() >= COUNT);
            assertThat(assembly.drainAndStop(Duration.ofSeconds(20)).completed())
                    .isTrue();
        }
        GeneratedLines.assertEveryMessageOnce(out, COUNT, "the topic");

        try (Admin admin = admin();
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            assertThat(partitionsOf(admin, topic)).isEqualTo(3);
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < COUNT && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(COUNT);
            Map<String, Integer> partitionOfKey = new HashMap<>();
            Map<String, List<Long>> nsOfKey = new HashMap<>();
            int unkeyed = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode value = JSON.readTree(r.value());
                if (value.get("customer").isNull()) {
                    assertThat(r.key()).as("customer null: unkeyed").isNull();
                    unkeyed++;
                    continue;
                }
                assertThat(r.key()).as("the others are keyed").isNotNull();
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(key)
                        .as("the key is the field's value")
                        .isEqualTo(value.get("customer").asString());
                assertThat(partitionOfKey.computeIfAbsent(key, k -> r.partition()))
                        .as("key " + key + " in one partition")
                        .isEqualTo(r.partition());
                nsOfKey.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(value.get("n").asLong());
            }
            assertThat(unkeyed)
                    .as("sent, delivered (assertEveryMessageOnce) and unkeyed")
                    .isEqualTo(COUNT / 10);
            assertThat(nsOfKey).containsOnlyKeys("c0", "c1", "c2", "c3", "c4");
            nsOfKey.forEach((key, ns) ->
                    assertThat(ns).as("key " + key + " in the order sent").isSorted());
        }
    }

    @Test
    void eitherEndAloneCreatesTheTopicWithThePartitions(@TempDir Path dir) throws Exception {
        String receivedFirst = EmbeddedKafkaBroker.uniqueTopic("received-first");
        String sentFirst = EmbeddedKafkaBroker.uniqueTopic("sent-first");
        try (Admin admin = admin()) {
            try (Assembly receiving = Blueprints.assemble(
                    keyed(dir, "receiving", receivedFirst, ", partitions: 2"),
                    AssemblyOptions.defaults().withoutServer().only("out"))) {
                assertThat(receiving.componentsHere()).containsExactly("out");
                assertThat(partitionsOf(admin, receivedFirst)).isEqualTo(2);
            }
            try (Assembly sending = Blueprints.assemble(
                    keyed(dir, "sending", sentFirst, ", partitions: 5"),
                    AssemblyOptions.defaults().withoutServer().only("gen", "tag"))) {
                assertThat(sending.componentsHere()).containsExactlyInAnyOrder("gen", "tag");
                assertThat(partitionsOf(admin, sentFirst)).isEqualTo(5);
            }
        }
    }
}
