package dev.portflow.port;

import static dev.portflow.port.PortTesting.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.internal.PortMeterBinder;
import dev.portflow.metrics.PortMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records with Bean Validation constraints: invalid messages are counted, reported and skipped. */
class ValidationTest {

    record Order(@NotBlank @Nullable String id, @Positive int amount) {}

    private final OutputPort<Order> out = new OutputPort<>("out_orders", Order.class);
    private final InputPort<Order> in = new InputPort<>("in_orders", Order.class);
    private final List<ErrorEnvelope> reported = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        in.onError(reported::add);
    }

    @Test
    void anInvalidMessageIsCountedReportedAndSkippedByTheSameReceive() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PortMeterBinder.bind(registry, "shop", in.measurements());
        out.send(new Order(" ", -5));
        out.send(new Order("o-2", 20));

        Order received = in.receive();
        assertThat(received).isEqualTo(new Order("o-2", 20));

        PortMetrics m = in.metrics();
        assertThat(m.droppedByReason()).containsEntry("invalid", 1L).containsEntry("filtered", 0L);
        assertThat(m.messagesDropped()).isEqualTo(1);
        assertThat(m.errorsTotal()).isEqualTo(1);
        assertThat(m.errorsByType()).containsExactly(java.util.Map.entry("InvalidMessageException", 1L));
        assertThat(m.toMap()).containsEntry("errors_total", 1L);
        assertThat(registry.get("portflow.port.errors")
                        .tag("error_type", "InvalidMessageException")
                        .functionCounter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("portflow.port.messages.dropped")
                        .tag("reason", "invalid")
                        .functionCounter()
                        .count())
                .isEqualTo(1.0);

        assertThat(reported).hasSize(1);
        ErrorEnvelope e = reported.get(0);
        assertThat(e.errorType()).isEqualTo("InvalidMessageException");
        assertThat(e.port()).isEqualTo("in_orders");
        assertThat(e.message()).contains("id").contains("amount");
        assertThat(e.payloadText()).contains("amount=-5");
        assertThat(e.payloadTruncated()).isFalse();
        assertThat(e.time()).isNotNull();
        assertThat(in.poll()).isNull();
    }

    @Test
    void aWaitingReceiveSkipsAnInvalidArrivalAndReturnsTheNextValidOne() throws Exception {
        CompletableFuture<Order> result = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(in.receive());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        awaitParked(receiver);
        out.send(new Order("", 3));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reported.size() == 1);
        Thread.sleep(50);
        assertThat(result).as("an invalid message does not end the receive").isNotDone();

        out.send(new Order("o-9", 9));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new Order("o-9", 9));
        assertThat(in.metrics().droppedByReason()).containsEntry("invalid", 1L);
        assertThat(in.metrics().errorsTotal()).isEqualTo(1);
    }

    @Test
    void validMessagesAreNotTouched() throws Exception {
        for (int i = 1; i <= 5; i++) {
            out.send(new Order("o-" + i, i));
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(Objects.requireNonNull(in.receive()).amount()).isEqualTo(i);
        }
        assertThat(in.metrics().messagesDropped()).isZero();
        assertThat(in.metrics().errorsTotal()).isZero();
        assertThat(reported).isEmpty();
    }

    @Test
    void onlyInvalidMessagesBufferedMeansReceiveWithTimeoutReturnsNull() throws Exception {
        out.send(new Order(null, 1));
        out.send(new Order("x", 0));
        assertThat(in.receive(Duration.ofMillis(50))).isNull();
        assertThat(in.isEndOfStream()).isFalse();
        assertThat(in.metrics().droppedByReason()).containsEntry("invalid", 2L);
        assertThat(in.metrics().errorsTotal()).isEqualTo(2);
        assertThat(reported)
                .extracting(ErrorEnvelope::message)
                .anySatisfy(msg -> assertThat(msg).contains("id"))
                .anySatisfy(msg -> assertThat(msg).contains("amount"));
    }

    @Test
    void typesWithoutConstraintsAreNotValidated() {
        assertThat(MessageValidator.forType(Msg.class).isActive()).isFalse();
        assertThat(MessageValidator.forType(String.class)).isSameAs(MessageValidator.NONE);
        assertThat(MessageValidator.forType(Order.class).isActive()).isTrue();
        assertThat(MessageValidator.forType(Order.class).validate(new Order("a", 1)))
                .isEmpty();
        assertThat(MessageValidator.forType(Order.class).validate(new Order("", 1)))
                .extracting(SchemaViolation::field)
                .containsExactly("id");
    }
}
