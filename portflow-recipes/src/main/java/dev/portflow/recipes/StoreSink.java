package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;
import io.micrometer.core.instrument.Counter;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code store} recipe: writes each message as one row of a JDBC table, idempotently.
 *
 * <p>The table is created when missing, with the columns {@code id} (text, primary key: the
 * {@code key} field's value, or the message id), {@code body} (the JSON body: {@code JSON} in H2,
 * {@code JSONB} in PostgreSQL), {@code ingest_time} and {@code event_time} (timestamps with time
 * zone; {@code event_time} is null when the message has none). A row is written with an upsert
 * ({@code MERGE INTO ... KEY (id)} in H2, {@code INSERT ... ON CONFLICT (id) DO UPDATE} in
 * PostgreSQL): a retried or redelivered message replaces its row instead of adding one. Names are
 * case-insensitive like unquoted SQL names ({@code SELECT id, body FROM orders} works in both).
 *
 * <p>Workers: the sink may be called by several workers at once. A JDBC connection (and the
 * parameters of its prepared statement) is not for concurrent use, so each call borrows a connection
 * of its own from a small pool: the first is opened in {@code setup} (a failure there fails the
 * pipeline's start: a wrong URL or password is seen at once), another is opened when every open one
 * is in use, so there are at most as many as workers ever called at once, and all are closed in
 * {@code cleanup}. A pool rather than a connection per thread: an autoscaled stage's threads come and
 * go, and a connection per thread would stay open after its thread ended. Each message is its own
 * auto-committed statement. When a connection breaks, it is closed with the idle ones (what broke
 * one, such as a database restart, most likely broke them all). A database out of reach
 * ({@link #isUnreachable}) never fails the message: the call reconnects and writes again, with
 * backoff ({@value #FIRST_OUTAGE_PAUSE_MILLIS} ms doubling to {@value #MAX_OUTAGE_PAUSE_MILLIS} ms),
 * until it can, or until {@code outage_timeout_ms} passes for that message; meanwhile the buffer in
 * front fills and backpressure reaches the senders. A transient failure (a lock wait that timed out, a deadlock, a serialization failure) is
 * retried up to {@value #TRANSIENT_RETRIES} times, 25 to 400 ms apart, before the message fails. On
 * embedded H2 the upserts themselves take turns (see {@code h2Writes}).
 */
public final class StoreSink implements Sink<Object> {

    private static final System.Logger LOG = System.getLogger(StoreSink.class.getName());

    /** Tries of the table's creation when other instances create it at the same moment; see createTable. */
    private static final int CREATE_ATTEMPTS = 3;

    private final StoreConfig config;
    private final Path dataDir;
    // Set by setup.
    private @Nullable String url;
    private @Nullable String
            shownUrl; // for messages: the URL as configured (or derived), without the settings setup adds
    private @Nullable String table;
    private @Nullable String create;
    private @Nullable String check;
    private @Nullable String upsert;
    /** Connections no call is using, the most recently used first (so a quiet stage keeps using few). */
    private final Deque<Session> idle = new ConcurrentLinkedDeque<>();
    /** Every open connection, idle or in use, to close them all in {@code cleanup}. */
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    private volatile boolean cleanedUp;
    /*
     * Embedded H2 only: one write at a time. H2 2.5.252 can leave a row locked for good (every later
     * write of its key times out, across reconnects and reopens) when the process is killed while
     * several connections write at once: 3 of 35 kill -9s of a process with 4 concurrent upserting
     * connections, 0 of 25 with one, 0 of 40 with 4 connections taking turns
     * (bench/probes/H2KillProbe.java). Workers still overlap everything else (reading, JSON, the stages around).
     */
    private final ReentrantLock h2Writes = new ReentrantLock();
    /** Attempts retried because the database could not be reached ({@value #RETRIES_METER}); set at setup. */
    private volatile @Nullable Counter unreachableRetries;

    private final AtomicLong lastOutageWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private boolean serializeWrites;

    /** One connection and its prepared upsert, used by one call at a time. */
    private record Session(Connection connection, PreparedStatement upsert) {}

    /** Defaults resolved in {@code setup}: the H2 database {@code ./data/<pipeline>}, the table named after the component. */
    public StoreSink(StoreConfig config) {
        this(config, Path.of("data"));
    }

    /**
     * @param dataDir where the default H2 database ({@code <dataDir>/<pipeline>}) lives when the config has no URL
     */
    public StoreSink(StoreConfig config, Path dataDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    public StoreConfig config() {
        return config;
    }

    /** The JDBC URL in use (after {@code setup}; {@code null} before). */
    public @Nullable String url() {
        return url;
    }

    /** The table written to (after {@code setup}; {@code null} before). */
    public @Nullable String table() {
        return table;
    }

    /** The counter of writes retried while the database could not be reached (tags pipeline, component, cause). */
    public static final String RETRIES_METER = "portflow.store.retries";

    @Override
    public void setup(ComponentContext context) throws SQLException {
        unreachableRetries = Counter.builder(RETRIES_METER)
                .description("store writes retried: the database could not be reached")
                .tag("pipeline", context.pipelineName())
                .tag("component", context.componentName())
                .tag("cause", "unreachable")
                .register(context.meterRegistry());
        String configured = config.url() != null
                ? config.url()
                : StoreConfig.H2_PREFIX + dataDir.toAbsolutePath().resolve(context.pipelineName());
        shownUrl = redact(configured);
        url = quiet(durable(configured));
        table = config.tableFor(context.componentName());
        boolean postgres = url.startsWith(StoreConfig.POSTGRESQL_PREFIX);
        serializeWrites = !postgres;
        String t = quote(table, postgres);
        String id = quote("id", postgres);
        String body = quote("body", postgres);
        String ingest = quote("ingest_time", postgres);
        String event = quote("event_time", postgres);
        String create;
        String upsert;
        if (postgres) {
            create = "CREATE TABLE IF NOT EXISTS " + t + " (" + id + " TEXT PRIMARY KEY, " + body + " JSONB, " + ingest
                    + " TIMESTAMPTZ NOT NULL, " + event + " TIMESTAMPTZ)";
            upsert = "INSERT INTO " + t + " (" + id + ", " + body + ", " + ingest + ", " + event + ")"
                    + " VALUES (?, CAST(? AS JSONB), ?, ?) ON CONFLICT (" + id + ") DO UPDATE SET "
                    + body + " = EXCLUDED." + body + ", " + ingest + " = EXCLUDED." + ingest + ", "
                    + event + " = EXCLUDED." + event;
        } else {
            create = "CREATE TABLE IF NOT EXISTS " + t + " (" + id + " VARCHAR PRIMARY KEY, " + body + " JSON, "
                    + ingest + " TIMESTAMP WITH TIME ZONE NOT NULL, " + event + " TIMESTAMP WITH TIME ZONE)";
            upsert = "MERGE INTO " + t + " (" + id + ", " + body + ", " + ingest + ", " + event + ")" + " KEY (" + id
                    + ") VALUES (?, ? FORMAT JSON, ?, ?)";
        }
        this.create = create;
        this.upsert = upsert;
        this.check = "SELECT " + id + ", " + body + ", " + ingest + ", " + event + " FROM " + t + " WHERE 1 = 0";
        cleanedUp = false;
        idle.push(open(true));
    }

    /**
     * An embedded H2 file database made durable on commit ({@code ;WRITE_DELAY=0}) unless the URL says
     * otherwise. H2 otherwise keeps commits in memory for up to half a second: a killed process
     * (kill -9) loses them although each was acknowledged, and a Kafka receiver upstream would
     * already have committed their offsets. Measured here: ~1,000 acknowledged rows lost per kill by
     * default, none with the setting. In-memory databases are left alone.
     */
    static String durable(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        if (!url.startsWith(StoreConfig.H2_PREFIX)
                || upper.startsWith("JDBC:H2:MEM:")
                || upper.contains(";WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }

    /**
     * An embedded H2 database without H2's own trace file ({@code ;TRACE_LEVEL_FILE=0}) unless the URL
     * sets one. When the database's directory cannot be written, H2 fails to open its trace file too
     * and prints that failure with its whole stack trace (some 70 lines) to the console, burying the
     * one-line reason this sink reports; the sink reports every database error itself anyway.
     */
    static String quiet(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        if (!url.startsWith(StoreConfig.H2_PREFIX)
                || upper.startsWith("JDBC:H2:MEM:")
                || upper.contains(";TRACE_LEVEL_FILE=")) {
            return url;
        }
        return url + ";TRACE_LEVEL_FILE=0";
    }

    /**
     * Connects and prepares the upsert; with {@code prepareTable} (the first connection) also creates
     * the table when missing and checks its columns. A failure is an {@link SQLException} whose
     * message is one short line (the database's cause chain condensed, see {@link FailureReason}),
     * with the original exception as its cause.
     */
    private Session open(boolean prepareTable) throws SQLException {
        Properties props = new Properties();
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new SQLException(
                    "store: cannot connect to " + shownUrl + ": " + redact(FailureReason.of(e)), e.getSQLState(), e);
        }
        try {
            if (connection.isReadOnly()) {
                // H2 opens a database whose file it cannot write read-only, without an error: every
                // message would fail later with "The database is read only".
                String connected = Objects.requireNonNull(url, "url"); // getConnection takes no null URL
                throw new SQLException("store: cannot write to " + shownUrl + ": the database is open read-only"
                        + (connected.startsWith(StoreConfig.H2_PREFIX)
                                ? " (its file is not writable, or the URL sets ACCESS_MODE_DATA=r)"
                                : ""));
            }
            connection.setAutoCommit(true);
            if (prepareTable) {
                prepareTable(connection);
            }
            Session session = new Session(connection, connection.prepareStatement(upsert));
            sessions.add(session);
            return session;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private void prepareTable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try {
                createTable(s);
            } catch (SQLException e) {
                throw new SQLException(
                        "store: cannot create table " + table + " in " + shownUrl + ": " + redact(FailureReason.of(e)),
                        e.getSQLState(),
                        e);
            }
            try {
                s.executeQuery(check).close();
            } catch (SQLException e) {
                throw new SQLException(
                        "store: table " + table + " exists but does not have the columns id, body,"
                                + " ingest_time, event_time this recipe writes: " + FailureReason.of(e),
                        e.getSQLState(),
                        e);
            }
        }
    }

    /**
     * PostgreSQL's {@code CREATE TABLE IF NOT EXISTS} is not safe against itself: when several
     * instances of a stage start at once, the one that loses the race to create the table fails with
     * a unique violation on the catalog ({@code 23505}, "pg_type_typname_nsp_index"),
     * {@code duplicate_object} ({@code 42710}, "type ... already exists") or {@code duplicate_table}
     * ({@code 42P07}) although the table now exists. Trying again finds it.
     */
    private void createTable(Statement s) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                s.execute(create);
                return;
            } catch (SQLException e) {
                String state = e.getSQLState();
                boolean lostTheRace = "23505".equals(state) || "42710".equals(state) || "42P07".equals(state);
                if (!lostTheRace || attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void accept(Object message) throws SQLException {
        JsonMessage document = Documents.of(message);
        String key = keyOf(document);
        String json;
        try {
            json = Json.write(document.body());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store: " + e.getMessage(), e);
        }
        long outageStart = 0;
        long pause = FIRST_OUTAGE_PAUSE_MILLIS;
        while (true) {
            try {
                writeOnce(key, json, document);
                if (outageStart != 0) {
                    LOG.log(Level.INFO, () -> "store: " + shownUrl + " is reachable again");
                }
                return;
            } catch (SQLException e) {
                if (!isUnreachable(e)) {
                    throw e;
                }
                long now = System.nanoTime();
                if (outageStart == 0) {
                    outageStart = now;
                }
                Long limit = config.outageTimeoutMs();
                if (limit != null && now - outageStart >= TimeUnit.MILLISECONDS.toNanos(limit)) {
                    e.addSuppressed(new SQLException(
                            "store: gave up after waiting " + limit + " ms (outage_timeout_ms) for " + shownUrl));
                    throw e;
                }
                countRetry();
                warnUnreachable(e, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt(); // stopping: the message fails, the drain reports it
                    throw e;
                }
                pause = Math.min(MAX_OUTAGE_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** One attempt: a session (a new connection if none is idle), the upsert with its transient retries. */
    private void writeOnce(String key, String json, JsonMessage document) throws SQLException {
        Session session = idle.pollFirst();
        if (session == null) {
            session = open(false); // every open connection is in use (several workers), or the last one broke
        }
        boolean lost = false;
        if (serializeWrites) {
            h2Writes.lock();
        }
        try {
            writeRetryingTransientFailures(session.upsert(), key, json, document);
        } catch (SQLException e) {
            lost = isConnectionLost(session.connection(), e);
            if (lost) {
                LOG.log(
                        Level.WARNING,
                        "store: lost the connection to " + shownUrl + " (" + e.getMessage() + "); reconnecting");
            }
            throw e;
        } finally {
            if (serializeWrites) {
                h2Writes.unlock();
            }
            if (lost) {
                close(session);
                closeIdle(); // what broke one (a database restart, a network failure) most likely broke them all
            } else {
                idle.push(session);
                if (cleanedUp) {
                    closeIdle(); // a call that outlived cleanup must not leave its connection open
                }
            }
        }
    }

    /** The first wait after the database was found unreachable; doubles up to {@link #MAX_OUTAGE_PAUSE_MILLIS}. */
    static final long FIRST_OUTAGE_PAUSE_MILLIS = 100;

    static final long MAX_OUTAGE_PAUSE_MILLIS = 5_000;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * The database cannot be reached, as opposed to refusing this message: SQLSTATE class 08
     * (connection exception: refused, broken, closed), PostgreSQL's 57P01-57P03 (the server is
     * shutting down or starting), and JDBC's connection exception types. Retried with backoff:
     * failing the message would lose it (a Kafka edge upstream commits past a failed message).
     */
    static boolean isUnreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void countRetry() {
        Counter counter = unreachableRetries;
        if (counter != null) {
            counter.increment();
        }
    }

    private void warnUnreachable(SQLException e, long pause) {
        long now = System.nanoTime();
        long last = lastOutageWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastOutageWarning.compareAndSet(last, now)) {
            Long limit = config.outageTimeoutMs();
            LOG.log(
                    Level.WARNING,
                    "store: cannot reach " + shownUrl + " (" + e.getMessage() + "); retrying every " + pause
                            + " ms and up to " + MAX_OUTAGE_PAUSE_MILLIS + " ms apart, "
                            + (limit == null
                                    ? "for as long as it takes (no outage_timeout_ms)"
                                    : "for " + limit + " ms per message"));
        }
    }

    /** Retries after a transient failure: this many times, waiting 25, 50, 100, 200 and 400 ms. */
    static final int TRANSIENT_RETRIES = 5;

    private static final long FIRST_RETRY_MILLIS = 25;

    /**
     * Writes the row, retrying a failure the database calls transient (a lock wait that timed out, a
     * deadlock or serialization failure that rolled the statement back): with several workers, or
     * another writer on the same rows, such a failure says nothing about the message, and failing it
     * would hand it to the error port although a moment later it stores fine (a Kafka edge upstream
     * would then commit past it). Each attempt is the same idempotent upsert.
     */
    private static void writeRetryingTransientFailures(
            PreparedStatement upsert, String key, String json, JsonMessage document) throws SQLException {
        long pause = FIRST_RETRY_MILLIS;
        for (int retry = 0; ; retry++) {
            try {
                write(upsert, key, json, document);
                return;
            } catch (SQLException e) {
                if (retry == TRANSIENT_RETRIES || !isTransient(e)) {
                    if (retry > 0) {
                        e.addSuppressed(new SQLException("store: gave up after " + (retry + 1) + " attempts"));
                    }
                    throw e;
                }
                long wait = pause;
                LOG.log(
                        Level.INFO,
                        () -> "store: transient failure (" + e.getMessage() + "); retrying in " + wait + " ms");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause *= 2;
            }
        }
    }

    /**
     * Lock timeouts, deadlocks and serialization failures: {@link java.sql.SQLTransientException}
     * (JDBC's own classification, which H2 uses for its lock timeout), SQLSTATE class 40 (transaction
     * rollback: PostgreSQL's 40001 and 40P01), PostgreSQL's 55P03 (lock_not_available) and H2's
     * HYT00 (lock timeout).
     */
    static boolean isTransient(SQLException e) {
        if (e instanceof java.sql.SQLTransientException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("40") || state.equals("55P03") || state.equals("HYT00"));
    }

    private static void write(PreparedStatement upsert, String key, String json, JsonMessage document)
            throws SQLException {
        upsert.setString(1, key);
        upsert.setString(2, json);
        upsert.setObject(3, utc(document.ingestTime()));
        if (document.declaredEventTime() != null) {
            upsert.setObject(4, utc(document.declaredEventTime()));
        } else {
            upsert.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        upsert.executeUpdate();
    }

    private static boolean isConnectionLost(Connection connection, SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        try {
            return !connection.isValid(2);
        } catch (SQLException invalid) {
            return true;
        }
    }

    private String keyOf(JsonMessage document) {
        if (config.key() == null) {
            return document.id();
        }
        if (!(document.body() instanceof java.util.Map<?, ?> fields) || !fields.containsKey(config.key())) {
            throw new IllegalArgumentException("store: the message has no key field '" + config.key() + "'");
        }
        return switch (fields.get(config.key())) {
            case String s when !s.isEmpty() -> s;
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Float f -> BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
            case BigDecimal d -> d.stripTrailingZeros().toPlainString();
            case Number n -> n.toString();
            case null, default ->
                throw new IllegalArgumentException("store: key field '" + config.key()
                        + "' must be non-empty text or a number, was " + ConfigProblems.show(fields.get(config.key())));
        };
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A name quoted in the case its database folds unquoted names to, so it behaves like an unquoted name but may be a keyword. */
    private static String quote(String name, boolean postgres) {
        return "\"" + (postgres ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT)) + "\"";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private void closeIdle() {
        for (Session idleSession = idle.pollFirst(); idleSession != null; idleSession = idle.pollFirst()) {
            close(idleSession);
        }
    }

    private void close(Session session) {
        sessions.remove(session);
        closeQuietly(session.connection());
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "store: closing the connection failed", e);
        }
    }

    /** How many connections are open now (idle or in use). */
    int openConnections() {
        return sessions.size();
    }

    /** Closes every connection; the runtime calls it once no worker calls {@link #accept} any more. */
    @Override
    public void cleanup() {
        cleanedUp = true;
        idle.clear();
        for (Session session : List.copyOf(sessions)) {
            close(session);
        }
    }
}
