package dev.portflow.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
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
 *
 * What a test opens against the broker ({@link #transport()}, {@link #closeAfterTest}) is closed
 * after that test, newest first (a pipeline before the transport it sends through).
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private @Nullable EmbeddedKafkaBroker broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> open = new ArrayList<>(toClose);
        toClose.clear();
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
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

    /** Closes {@code resource} after the current test (newest first); returns it. */
    public <T extends AutoCloseable> T closeAfterTest(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** A transport to the broker that refreshes lag every 50 ms, closed after the current test. */
    public KafkaTransport transport() {
        return transport(Duration.ofMillis(50));
    }

    /** A transport to the broker that refreshes lag every {@code lagRefresh}, closed after the current test. */
    public KafkaTransport transport(Duration lagRefresh) {
        return closeAfterTest(KafkaTransport.create(
                KafkaSettings.of(broker().bootstrapServers()).withLagRefresh(lagRefresh)));
    }
}
