package dev.portflow.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which failures the store waits out (the database cannot be reached) and which fail the message;
 * the behaviour under a real PostgreSQL outage is portflow-cli's DatabaseOutageTest.
 */
class StoreOutageTest {

    @Test
    void aDatabaseOutOfReachIsWaitedOut() {
        assertThat(StoreSink.isUnreachable(new SQLException("Connection refused", "08001")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(new SQLException("An I/O error occurred", "08006")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(
                        new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(new SQLNonTransientConnectionException("closed")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(new SQLTransientConnectionException("timeout")))
                .isTrue();
        assertThat(StoreSink.isUnreachable(
                        new SQLException("wrapped", null, new SQLException("Connection refused", "08001"))))
                .isTrue();
    }

    @Test
    void aMessageTheDatabaseRefusesIsNotRetriedAsAnOutage() {
        assertThat(StoreSink.isUnreachable(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(StoreSink.isUnreachable(new SQLException("relation does not exist", "42P01")))
                .isFalse();
        assertThat(StoreSink.isUnreachable(new SQLException("unsupported Unicode escape sequence", "22P05")))
                .isFalse();
        assertThat(StoreSink.isUnreachable(new SQLException("no state"))).isFalse();
    }

    @Test
    void theOutageTimeoutIsAPositiveDuration() {
        assertThat(new StoreConfig(null, null, null, null, null, 30_000L).outageTimeoutMs())
                .isEqualTo(30_000L);
        assertThat(new StoreConfig().outageTimeoutMs()).isNull();
        assertThatThrownBy(() -> new StoreConfig(null, null, null, null, null, 0L))
                .hasMessageContaining("outage_timeout_ms");
    }
}
