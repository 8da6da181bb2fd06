package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** System.Logger goes to java.util.logging here (no other backend on the test class path). */
@Timeout(30)
class LogSinkTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Logger jul;

    @BeforeEach
    void capture() {
        jul = Logger.getLogger("test.audit");
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        jul.setLevel(java.util.logging.Level.INFO);
    }

    @AfterEach
    void release() {
        jul.removeHandler(handler);
    }

    private void log(LogSinkConfig config, JsonMessage... messages) throws InterruptedException {
        run(Pipeline.builder("orders")
                .source("in", JsonMessage.class, TestSupport.source(messages))
                .sink("audit", new LogSink(config))
                .connect("in.out_o", "audit.in_o"));
    }

    @Test
    void logsEachMessageAsOneJsonLine() throws Exception {
        log(
                new LogSinkConfig(System.Logger.Level.WARNING, "test.audit"),
                new JsonMessage("m-1", Instant.parse("2026-01-31T12:00:00Z"), null, obj("amount", 5)));
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(r.getMessage())
                    .isEqualTo(
                            "[orders/audit] {\"_id\":\"m-1\",\"_ingest_time\":\"2026-01-31T12:00:00Z\",\"amount\":5}");
        });
    }

    @Test
    void disabledLevelsLogNothing() throws Exception {
        log(new LogSinkConfig(System.Logger.Level.DEBUG, "test.audit"), TestSupport.json(1), TestSupport.json(2));
        assertThat(records).isEmpty();
    }

    @Test
    void configuration() {
        assertThat(new LogSinkConfig().level()).isEqualTo(System.Logger.Level.INFO);
        assertThat(new LogSinkConfig().logger()).isEqualTo(LogSinkConfig.DEFAULT_LOGGER);
        assertThat(LogSinkConfig.parseLevel("warn")).isEqualTo(System.Logger.Level.WARNING);
        assertThat(LogSinkConfig.parseLevel("WARNING")).isEqualTo(System.Logger.Level.WARNING);
        assertThat(LogSinkConfig.parseLevel("Debug")).isEqualTo(System.Logger.Level.DEBUG);
        assertThatThrownBy(() -> LogSinkConfig.parseLevel("loud"))
                .hasMessage(
                        "log_sink: 'level' must be one of TRACE, DEBUG, INFO, WARNING (or WARN), ERROR, was \"loud\"");
        assertThatThrownBy(() -> new LogSinkConfig(null, " "))
                .hasMessage("log_sink: 'logger' must be a logger name such as orders.audit, was \" \"");
        assertThatThrownBy(() -> new LogSinkConfig(System.Logger.Level.OFF, null))
                .hasMessageContaining("'level' must be one of");
    }

    // Bug 10: java.util.logging's root level is INFO, so a level: debug sink printed nothing.
    @Test
    void aDebugSinkLogsAtDebugWhenNobodyConfiguredItsLogger() throws Exception {
        Logger debugLogger = Logger.getLogger("test.audit.debug");
        debugLogger.addHandler(handler);
        debugLogger.setUseParentHandlers(false);
        try {
            assertThat(debugLogger.getLevel()).isNull(); // inherits the root's INFO
            log(
                    new LogSinkConfig(System.Logger.Level.DEBUG, "test.audit.debug"),
                    new JsonMessage("m-1", Instant.parse("2026-01-31T12:00:00Z"), null, obj("amount", 5)));
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.FINE);
                assertThat(r.getMessage()).startsWith("[orders/audit] {\"_id\":\"m-1\"");
            });
            assertThat(debugLogger.getLevel()).isEqualTo(java.util.logging.Level.FINE);

            // A second sink on the same logger, at TRACE, lowers the level it set; a user's level is left alone.
            log(new LogSinkConfig(System.Logger.Level.TRACE, "test.audit.debug"), TestSupport.json(1));
            assertThat(records).hasSize(2);
            assertThat(debugLogger.getLevel()).isEqualTo(java.util.logging.Level.FINER);
        } finally {
            debugLogger.removeHandler(handler);
        }
    }
}
