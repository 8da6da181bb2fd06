package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.AcknowledgedSequence;
import dev.portflow.port.RemoteLink.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipelined sending end against a {@link MockProducer} that completes records only when told:
 * hand-offs are acknowledged when the broker acknowledges, a record the producer gave up on is sent
 * again under the same number, and a link that gets no acknowledgements reports itself unavailable.
 */
class KafkaSendingLinkTest {

    private static final KafkaEdge EDGE = new KafkaEdge("p", "api", "out_x", "store", "in_x", "orders", 100);

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService resender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    // never asked anything: the lag readers below are not started, so their lag stays 0
    private final Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:9"));

    @AfterEach
    void stop() {
        resender.shutdownNow();
        admin.close(Duration.ZERO);
    }

    private KafkaSendingLink<JsonMessage> link(Duration stall) {
        // only this process's records count
        ConsumerLag lag = new ConsumerLag(admin, EDGE, Duration.ofSeconds(1), produced, written);
        return new KafkaSendingLink<>(
                EDGE, MessageCodec.jsonMessages(), producer, produced, written, lag, resender, stall.toNanos());
    }

    private static JsonMessage message(int n) {
        return new JsonMessage("m-" + n, Instant.now(), null, Map.of("n", n));
    }

    private static Offer send(KafkaSendingLink<JsonMessage> link, int n) throws InterruptedException {
        AcknowledgedSequence acks = link.acknowledgements();
        return link.offer(message(n), System.nanoTime(), acks.handOff());
    }

    @Test
    void acceptsBeforeTheBrokerAcknowledgesAndAcknowledgesEachHandOffWhenItDoes() throws Exception {
        KafkaSendingLink<JsonMessage> link = link(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(send(link, i)).isEqualTo(Offer.ACCEPTED);
        }
        AcknowledgedSequence acks = link.acknowledgements();
        assertThat(producer.history()).hasSize(3);
        assertThat(acks.acknowledged()).isZero(); // handed over, none acknowledged yet
        assertThat(link.depth()).isEqualTo(3);

        assertThat(producer.completeNext()).isTrue();
        assertThat(acks.acknowledged()).isEqualTo(1);
        assertThat(acks.isAcknowledged(1)).isFalse();
        producer.completeNext();
        producer.completeNext();
        assertThat(acks.acknowledged()).isEqualTo(3);
        assertThat(written.get()).isEqualTo(3);
        assertThat(link.unavailableReason()).isNull();
    }

    @Test
    void aRecordTheProducerGaveUpOnIsSentAgainUnderItsNumberAndTheEdgeRefusesMeanwhile() throws Exception {
        KafkaSendingLink<JsonMessage> link = link(Duration.ofMinutes(1));
        assertThat(send(link, 0)).isEqualTo(Offer.ACCEPTED);
        assertThat(send(link, 1)).isEqualTo(Offer.ACCEPTED);
        AcknowledgedSequence acks = link.acknowledgements();

        producer.errorNext(new TimeoutException("Expiring 1 record(s): 120000 ms has passed since batch creation"));
        assertThat(link.unavailableReason())
                .contains("did not acknowledge a record")
                .contains("Expiring");
        assertThat(link.offer(message(2), System.nanoTime(), acks.handOff())).isEqualTo(Offer.FULL);
        acks.acknowledge(2); // what the port does with a hand-off that handed nothing over

        producer.completeNext(); // record 1
        assertThat(acks.acknowledged()).isZero(); // record 0 is not acknowledged: the prefix waits for it
        assertThat(acks.isAcknowledged(1)).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);
        assertThat(producer.history().get(2).value())
                .isEqualTo(producer.history().get(0).value());
        assertThat(link.resends()).isEqualTo(1);
        producer.completeNext(); // the record sent again
        assertThat(acks.acknowledged()).isEqualTo(3);
        assertThat(written.get()).isEqualTo(2);
        assertThat(link.unavailableReason()).isNull();
        assertThat(send(link, 3)).isEqualTo(Offer.ACCEPTED);
    }

    @Test
    void resendsBackOffAndKeepGoingUntilTheRecordIsAcknowledged() throws Exception {
        KafkaSendingLink<JsonMessage> link = link(Duration.ofMinutes(1));
        send(link, 0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            producer.errorNext(new TimeoutException("broker down, attempt " + attempt));
            int sent = attempt + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == sent);
        }
        assertThat(link.resends()).isEqualTo(3);
        assertThat(link.acknowledgements().acknowledged()).isZero();
        producer.completeNext();
        assertThat(link.acknowledgements().acknowledged()).isEqualTo(1);
    }

    @Test
    void aRecordRefusedInSendFailsTheOfferAndGivesItsRoomBack() throws Exception {
        KafkaSendingLink<JsonMessage> link = link(Duration.ofMinutes(1));
        producer.sendException = new RecordTooLargeException("The message is 2000000 bytes when serialized");
        AcknowledgedSequence acks = link.acknowledgements();
        long number = acks.handOff();
        assertThatThrownBy(() -> link.offer(message(0), System.nanoTime(), number))
                .isInstanceOf(KafkaTransportException.class)
                .hasMessageContaining("could not write to api.out_x -> store.in_x")
                .hasMessageContaining("2000000 bytes");
        assertThat(produced.get()).isZero();
        assertThat(link.depth()).isZero();
        assertThat(link.resends()).isZero();
    }

    /** A producer that, as KafkaProducer does for an ApiException inside send, fails the record through the callback before send returns. */
    private static MockProducer<byte[], byte[]> refusingInSend(RuntimeException refusal) {
        return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                callback.onCompletion(null, refusal);
                return CompletableFuture.failedFuture(refusal);
            }
        };
    }

    private KafkaSendingLink<JsonMessage> link(MockProducer<byte[], byte[]> producer) {
        ConsumerLag lag = new ConsumerLag(admin, EDGE, Duration.ofSeconds(1), produced, written);
        return new KafkaSendingLink<>(
                EDGE, MessageCodec.jsonMessages(), producer, produced, written, lag, resender, Long.MAX_VALUE);
    }

    @Test
    void aRecordFailedInsideSendFailsTheOfferWithoutBeingSentAgain() throws Exception {
        KafkaSendingLink<JsonMessage> link =
                link(refusingInSend(new RecordTooLargeException("The message is 2000000 bytes when serialized")));
        long number = link.acknowledgements().handOff();
        assertThatThrownBy(() -> link.offer(message(0), System.nanoTime(), number))
                .isInstanceOf(KafkaTransportException.class)
                .hasMessageContaining("2000000 bytes");
        assertThat(produced.get()).isZero();
        assertThat(link.unavailableReason()).isNull(); // nothing waits to be sent again
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(link.resends()).isZero();
    }

    @Test
    void noMetadataWithinMaxBlockIsNoRoomForAWhileNotAFailedSend() throws Exception {
        // what KafkaProducer reports when the broker is out of reach and the topic's metadata is gone
        KafkaSendingLink<JsonMessage> link =
                link(refusingInSend(new TimeoutException("Topic orders not present in metadata after 1000 ms.")));
        long number = link.acknowledgements().handOff();
        assertThat(link.offer(message(0), System.nanoTime(), number)).isEqualTo(Offer.FULL);
        assertThat(produced.get()).isZero();
        assertThat(link.unavailableReason())
                .contains("did not take a record for kafka:orders within max.block.ms")
                .contains("not present in metadata");
        assertThat(link.awaitRoom(System.nanoTime() + 50_000_000L)).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> link.unavailableReason() == null);
        assertThat(link.resends()).isZero();
    }

    @Test
    void recordsInFlightWithNoAcknowledgementForTheStallTimeMakeTheEdgeUnavailable() throws Exception {
        KafkaSendingLink<JsonMessage> link = link(Duration.ofMillis(200));
        TimeUnit.MILLISECONDS.sleep(300); // idle longer than the stall time: not a stall, nothing is in flight
        assertThat(send(link, 0)).isEqualTo(Offer.ACCEPTED);
        assertThat(link.unavailableReason()).isNull();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(link.unavailableReason())
                        .matches("Kafka has acknowledged none of 1 records for kafka:orders in \\d+\\.\\d s"));
        assertThat(send(link, 1)).isEqualTo(Offer.FULL);
        assertThat(link.awaitRoom(System.nanoTime() + 20_000_000L)).isFalse();

        producer.completeNext();
        assertThat(link.unavailableReason()).isNull();
        assertThat(link.awaitRoom(System.nanoTime() + 20_000_000L)).isTrue();
    }
}
