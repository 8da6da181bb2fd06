package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests that need one shared by several processes or stopped on
 * purpose: {@code PORTFLOW_TEST_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/portflow}),
 * user and password {@code PORTFLOW_TEST_POSTGRES_USER} / {@code _PASSWORD} (default {@code portflow});
 * {@code .ci/postgres.sh} starts one. Without it a test is skipped, except under {@code CI=true}.
 */
final class TestPostgres {

    static final String URL = env("PORTFLOW_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/portflow");
    static final String USER = env("PORTFLOW_TEST_POSTGRES_USER", "portflow");
    static final String PASSWORD = env("PORTFLOW_TEST_POSTGRES_PASSWORD", "portflow");

    private TestPostgres() {}

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Skips the test (fails it under {@code CI=true}) with {@code why}. */
    static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true: this test must run, but " + why);
        }
        Assumptions.abort(why);
    }

    /** Skips the test (fails it under {@code CI=true}) unless the server answers. */
    static void require() {
        try (Connection db = connect()) {
            assertThat(db.isValid(5)).isTrue();
        } catch (SQLException e) {
            unavailable("no PostgreSQL at " + URL + " (" + e.getMessage() + "); .ci/postgres.sh starts one");
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    /** The ids in {@code table}; none while the store has not created it. */
    static List<String> ids(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = connect();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table
                return rows;
            }
            throw e;
        }
        return rows;
    }

    /** Drops {@code table} if it exists and the server is there. */
    static void drop(String table) {
        try (Connection db = connect();
                Statement st = db.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException ignored) {
            // the server is away: nothing to clean
        }
    }
}
