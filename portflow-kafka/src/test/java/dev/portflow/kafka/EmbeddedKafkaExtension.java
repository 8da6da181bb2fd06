package dev.portflow.kafka;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedKafkaBroker} for a test class: started before its first test, closed after its
 * last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.broker().createTopic(topic, 1);
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private @Nullable EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedKafkaBroker running = broker;
        broker = null;
        if (running != null) {
            running.close();
        }
    }

    /** The class's broker; only between its first and last test. */
    public EmbeddedKafkaBroker broker() {
        return Objects.requireNonNull(broker, "the broker runs only while the test class does");
    }
}
