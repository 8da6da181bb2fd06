package dev.portflow.recipes;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code store} recipe.
 *
 * @param url      the JDBC URL: {@code jdbc:h2:...} (embedded H2) or {@code jdbc:postgresql://...};
 *                 {@code null}: an H2 file database named after the pipeline in the data directory
 *                 ({@code jdbc:h2:./data/<pipeline>})
 * @param table    the table to write to, an SQL identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, at most
 *                 63 characters; case-insensitive like an unquoted name); {@code null}: the component's
 *                 name ({@code -} becomes {@code _})
 * @param key      the top-level field whose value (text or number) is the row's primary key;
 *                 {@code null}: the message id. Writing the same key again replaces the row, so
 *                 redelivered messages never duplicate rows
 * @param user     the database user, or {@code null}
 * @param password the database password, or {@code null}
 * @param outageTimeoutMs how long one message waits, retrying, while the database cannot be reached
 *                 before it fails (to the {@code err_*} port when one is connected); {@code null}: no
 *                 limit, the message waits until the database is back (its buffer fills meanwhile and
 *                 backpressure reaches the senders)
 */
public record StoreConfig(
        @Nullable String url,
        @Nullable String table,
        @Nullable String key,
        @Nullable String user,
        @Nullable String password,
        @Nullable Long outageTimeoutMs) {

    static final String RECIPE = "store";
    static final String H2_PREFIX = "jdbc:h2:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public StoreConfig {
        if (url != null && !url.startsWith(H2_PREFIX) && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw ConfigProblems.problem(
                    RECIPE, "url", "a JDBC URL starting with jdbc:h2: (embedded H2) or jdbc:postgresql:", url);
        }
        if (url != null
                && url.startsWith(H2_PREFIX)
                && url.toUpperCase(Locale.ROOT).contains(";INIT=")) {
            throw ConfigProblems.problem(
                    RECIPE,
                    "url",
                    "an H2 URL without INIT= (it runs SQL, and so Java, when the database"
                            + " opens; the store creates its table itself)",
                    url);
        }
        if (table != null) {
            requireIdentifier("table", table);
        }
        if (outageTimeoutMs != null && outageTimeoutMs < 1) {
            throw ConfigProblems.problem(
                    RECIPE,
                    "outage_timeout_ms",
                    "a duration of at least 1 ms (or absent for no limit)",
                    outageTimeoutMs);
        }
        if (key != null && key.isBlank()) {
            throw ConfigProblems.problem(
                    RECIPE, "key", "the name of a top-level field (or absent for the message id)", key);
        }
    }

    /** As the canonical constructor, waiting for an unreachable database without limit. */
    public StoreConfig(
            @Nullable String url,
            @Nullable String table,
            @Nullable String key,
            @Nullable String user,
            @Nullable String password) {
        this(url, table, key, user, password, null);
    }

    /** Defaults everywhere: H2 in the data directory, table named after the component, keyed by message id. */
    public StoreConfig() {
        this(null, null, null, null, null, null);
    }

    /** Whether {@code url} names a PostgreSQL database. */
    public boolean isPostgres() {
        return url != null && url.startsWith(POSTGRESQL_PREFIX);
    }

    /** The table for a component named {@code componentName}: {@link #table()} if set, else the derived name. */
    public String tableFor(String componentName) {
        if (table != null) {
            return table;
        }
        String derived = componentName.replace('-', '_');
        if (!derived.isEmpty() && Character.isDigit(derived.charAt(0))) {
            derived = "t_" + derived;
        }
        requireIdentifier("table", derived);
        return derived.toLowerCase(Locale.ROOT);
    }

    private static void requireIdentifier(String key, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw ConfigProblems.problem(
                    RECIPE,
                    key,
                    "an SQL identifier: a letter or '_', then letters, digits or '_', at most 63 characters",
                    name);
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "StoreConfig[url=" + url + ", table=" + table + ", key=" + key + ", user=" + user + ", password="
                + (password == null ? null : "***") + "]";
    }
}
