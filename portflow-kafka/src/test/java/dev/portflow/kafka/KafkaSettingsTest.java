package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The client properties Portflow's edges use, and where the instance id comes from. */
class KafkaSettingsTest {

    @Test
    void anInstanceIdMakesTheConsumersStaticMembersAndOnlyThem() {
        KafkaSettings settings = KafkaSettings.of("127.0.0.1:9092").withInstanceId("stage-2");
        assertThat(settings.consumerProperties("g", "c", 10))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "stage-2")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g");
        assertThat(settings.producerProperties("p")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(KafkaSettings.of("127.0.0.1:9092").consumerProperties("g", "c", 10))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void theCommandLineOverridesTheEnvironment() {
        Map<String, String> env = Map.of(KafkaSettings.INSTANCE_ID_ENV, " from-env ");
        assertThat(KafkaSettings.instanceIdFrom("from-flag", env)).isEqualTo("from-flag");
        assertThat(KafkaSettings.instanceIdFrom(null, env)).isEqualTo("from-env");
        assertThat(KafkaSettings.instanceIdFrom(null, Map.of(KafkaSettings.INSTANCE_ID_ENV, " ")))
                .isNull();
        assertThat(KafkaSettings.instanceIdFrom(null, Map.of())).isNull();
    }

    @Test
    void anInstanceIdKafkaWouldRefuseIsRefusedWithTheRule() {
        for (String bad : new String[] {"", "a b", "x/y", "é", "x".repeat(201)}) {
            assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:9092").withInstanceId(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 200 of a-z A-Z 0-9 . _ -");
        }
        assertThat(KafkaSettings.of("h:1").withInstanceId("a.B_9-z").instanceId())
                .isEqualTo("a.B_9-z");
    }

    @Test
    void producerDefaultsBatchAndClientPropertiesOverrideThem() {
        assertThat(KafkaSettings.of("h:1").producerProperties("p"))
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, KafkaSettings.DEFAULT_LINGER_MS)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, KafkaSettings.DEFAULT_BATCH_SIZE);
        assertThat(KafkaSettings.of("h:1")
                        .withClientProperties(Map.of("linger.ms", "0"))
                        .producerProperties("p"))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "0");
    }
}
