package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bug 9 of issue 11: a component failing every message must not copy the stream (and its card numbers) into the log. */
class LoggingErrorReporterTest {

    private static final String CARD = "4111111111111111";

    private final Logger logger = Logger.getLogger("dev.portflow.errors");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final AtomicLong now = new AtomicLong(1_000);

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    private static ErrorEnvelope failure(String component, int n) {
        JsonMessage message = new JsonMessage("id-" + n, Instant.EPOCH, null, Map.of("card", CARD, "n", n));
        return ErrorEnvelope.of("shop", component, "in_orders", new IllegalStateException("declined"), message);
    }

    @Test
    void logsAFewPerComponentAndWindowThenSummarisesWithoutPayloads() {
        var reporter = new LoggingErrorReporter(10, Duration.ofSeconds(60), false, now::get);
        for (int i = 0; i < 65_000; i++) {
            reporter.report(failure("pay", i));
        }
        assertThat(lines).hasSize(10);
        assertThat(lines).noneMatch(l -> l.contains(CARD));
        assertThat(lines.get(0))
                .contains("component=pay", "error_type=IllegalStateException", "message=declined", "id=id-0");
        assertThat(lines.get(9)).contains("counted, not logged");

        // another component has its own allowance
        reporter.report(failure("ship", 0));
        assertThat(lines).hasSize(11);

        // the next window starts with a summary of what was not logged, then logs again
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        reporter.report(failure("pay", 65_000));
        assertThat(lines).hasSize(13);
        assertThat(lines.get(11))
                .contains("'pay'", "64990 more failed messages not logged", "IllegalStateException=64990");
        assertThat(lines.get(12)).contains("id=id-65000");
        assertThat(lines).noneMatch(l -> l.contains(CARD));
    }

    @Test
    void payloadsAreLoggedOnlyWhenAskedFor() {
        var reporter = new LoggingErrorReporter(10, Duration.ofSeconds(60), true, now::get);
        reporter.report(failure("pay", 1));
        assertThat(lines).singleElement().asString().contains(CARD);
    }

    @Test
    void theDefaultReporterNeverLogsPayloads() {
        ErrorReporter reporter = ErrorReporter.logging();
        for (int i = 0; i < 100; i++) {
            reporter.report(failure("pay", i));
        }
        assertThat(lines).hasSize(10).noneMatch(l -> l.contains(CARD));
    }
}
