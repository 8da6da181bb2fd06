package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineStartException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the {@code store} recipe promises, run against each database it supports. */
@Timeout(60)
abstract class StoreSinkContract {

    /** A fresh table name per test, so runs against a shared server never see each other's rows. */
    protected final String table =
            "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    protected final TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();
    private final List<String> created = new ArrayList<>();

    /** The store configuration for {@code table} with the given key field ({@code null}: the message id). */
    abstract StoreConfig config(String table, @Nullable String key);

    /** A connection to the same database, for the assertions. */
    abstract Connection connect() throws SQLException;

    StoreSink sink(StoreConfig config) {
        return new StoreSink(config);
    }

    protected Pipeline store(StoreConfig config, JsonMessage... messages) throws InterruptedException {
        return store(config, TestSupport.source(messages));
    }

    protected Pipeline store(StoreConfig config, Source<JsonMessage> source) throws InterruptedException {
        if (config.table() != null) {
            created.add(config.table());
        }
        return run(Pipeline.builder("orders")
                .source("in", JsonMessage.class, source)
                .sink("store", sink(config))
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("in.out_orders", "store.in_orders")
                .connect("store.err_orders", "errors.in_errors"));
    }

    /** Rows by id: body (parsed), ingest_time, event_time. */
    protected Map<String, List<Object>> rows(String table) throws SQLException {
        Map<String, List<Object>> rows = new LinkedHashMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT id, body, ingest_time, event_time FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                OffsetDateTime event = rs.getObject(4, OffsetDateTime.class);
                rows.put(
                        rs.getString(1),
                        java.util.Arrays.asList(
                                Json.parse(rs.getString(2)),
                                rs.getObject(3, OffsetDateTime.class).toInstant(),
                                event == null ? null : event.toInstant()));
            }
        }
        return rows;
    }

    /** {@code name} quoted the way the store creates it (case folded like an unquoted name). */
    String sqlName(String name) {
        boolean postgres = config(name, null).isPostgres();
        return "\"" + (postgres ? name.toLowerCase(java.util.Locale.ROOT) : name.toUpperCase(java.util.Locale.ROOT))
                + "\"";
    }

    @AfterEach
    void dropTables() throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String t : created) {
                s.execute("DROP TABLE IF EXISTS " + sqlName(t));
            }
        }
    }

    @Test
    void sameKeyTwiceKeepsOneRowWithTheLastBody() throws Exception {
        Instant t = Instant.parse("2026-01-31T12:00:00Z");
        store(
                config(table, "order_id"),
                new JsonMessage("m1", t, null, obj("order_id", "o-1", "amount", 100)),
                new JsonMessage(
                        "m2", t, t.minusSeconds(60), obj("order_id", "o-2", "amount", 20.5, "tags", List.of("x"))),
                new JsonMessage("m3", t.plusSeconds(1), null, obj("order_id", "o-1", "amount", 150)),
                new JsonMessage("m4", t, null, obj("order_id", 42, "amount", 1)));

        Map<String, List<Object>> rows = rows(table);
        assertThat(rows.keySet()).containsExactly("42", "o-1", "o-2");
        assertThat(rows.get("o-1")).containsExactly(obj("order_id", "o-1", "amount", 150), t.plusSeconds(1), null);
        assertThat(rows.get("o-2"))
                .containsExactly(obj("order_id", "o-2", "amount", 20.5, "tags", List.of("x")), t, t.minusSeconds(60));
        assertThat(errors.received).isEmpty();
    }

    @Test
    void redeliveredMessagesNeverDuplicateRows() throws Exception {
        JsonMessage m = TestSupport.json(obj("amount", 7));
        store(config(table, null), m, m);
        store(config(table, null), m); // a second run, e.g. after a crash and a replay
        assertThat(rows(table)).containsOnlyKeys(m.id());
    }

    @Test
    void aMessageWithoutItsKeyGoesToTheErrorPort() throws Exception {
        store(
                config(table, "order_id"),
                TestSupport.json(obj("amount", 1)),
                TestSupport.json(obj("order_id", "a")),
                TestSupport.json(obj("order_id", List.of(1))));
        assertThat(rows(table)).containsOnlyKeys("a");
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "store: the message has no key field 'order_id'",
                        "store: key field 'order_id' must be non-empty text or a number, was [1]");
    }

    @Test
    void aReservedWordIsAFineTableName() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + sqlName("order")); // a fixed name: left over by an aborted run?
        }
        store(config("order", null), TestSupport.json(obj("n", 1)));
        assertThat(rows(sqlName("order"))).hasSize(1);
    }

    @Test
    void anIncompatibleExistingTableFailsTheStart() throws Exception {
        created.add(table);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (name VARCHAR(10))");
        }
        assertThatThrownBy(() -> Pipeline.builder("orders")
                        .source("in", JsonMessage.class, TestSupport.source())
                        .sink("store", sink(config(table, null)))
                        .connect("in.out_orders", "store.in_orders")
                        .build()
                        .start())
                .isInstanceOf(PipelineStartException.class)
                .hasMessageContaining("store: table " + table
                        + " exists but does not have the columns id, body, ingest_time, event_time");
    }

    // Several instances of one stage (processes sharing a Kafka topic) start at once and each creates
    // the table if it is missing. PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself:
    // the loser of the race fails with a unique violation on pg_type (23505), "type ... already exists"
    // (42710) or duplicate_table (42P07).
    @Test
    void sinksSetUpAtOnceAllCreateOrFindTheirTable() throws Exception {
        for (int round = 0; round < 10; round++) {
            String fresh = table + "_" + round;
            created.add(fresh);
            assertThat(TestSupport.concurrently(WORKERS, w -> {
                        StoreSink sink = sink(config(fresh, null));
                        sink.setup(TestSupport.context("orders", "store"));
                        try {
                            sink.accept(TestSupport.json(obj("w", w)));
                        } finally {
                            sink.cleanup();
                        }
                    }))
                    .as("setups of %s at once", fresh)
                    .isEmpty();
            assertThat(rows(sqlName(fresh))).hasSize(WORKERS);
        }
    }

    // Workers: N threads call one StoreSink at once. A JDBC connection (and its prepared statement,
    // whose parameters are shared state) is not for concurrent use: each worker needs its own.
    static final int WORKERS = 8;

    @Test
    void eightWorkersAtOnceStoreEveryMessageExactlyOnceWithItsOwnBody() throws Exception {
        created.add(table);
        StoreSink sink = sink(config(table, null));
        sink.setup(TestSupport.context("orders", "store"));
        int perWorker = 200;
        List<List<JsonMessage>> sent = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<JsonMessage> mine = new ArrayList<>();
            for (int i = 0; i < perWorker; i++) {
                mine.add(TestSupport.json(obj("worker", w, "n", i, "text", "w" + w + "-" + i)));
            }
            sent.add(mine);
        }
        List<Throwable> failures;
        try {
            failures = TestSupport.concurrently(WORKERS, w -> {
                for (JsonMessage m : sent.get(w)) {
                    sink.accept(m);
                }
            });
            assertThat(sink.openConnections())
                    .as("connections: at most one per worker calling at once")
                    .isBetween(1, WORKERS);
        } finally {
            sink.cleanup();
        }
        assertThat(failures).isEmpty();
        assertThat(sink.openConnections()).as("cleanup closes every connection").isZero();
        Map<String, List<Object>> rows = rows(table);
        assertThat(rows).hasSize(WORKERS * perWorker);
        for (List<JsonMessage> mine : sent) {
            for (JsonMessage m : mine) {
                assertThat(rows.get(m.id())).as("row of " + m.id()).isNotNull();
                assertThat(Objects.requireNonNull(rows.get(m.id())).getFirst())
                        .as("body of " + m.id())
                        .isEqualTo(m.body());
            }
        }
    }

    @Test
    void workersUpsertingTheSameKeysAtOnceKeepOneRowPerKeyWithoutErrors() throws Exception {
        created.add(table);
        StoreSink sink = sink(config(table, "order_id"));
        sink.setup(TestSupport.context("orders", "store"));
        int keys = 40;
        int rounds = 5;
        List<Throwable> failures;
        try {
            failures = TestSupport.concurrently(WORKERS, w -> {
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < keys; k++) {
                        sink.accept(TestSupport.json(obj("order_id", "o-" + k, "writer", w, "round", round)));
                    }
                }
            });
        } finally {
            sink.cleanup();
        }
        assertThat(failures).isEmpty();
        Map<String, List<Object>> rows = rows(table);
        assertThat(rows).hasSize(keys);
        rows.forEach((id, row) -> assertThat(row.getFirst()).asString().contains("order_id=" + id));
    }
}
