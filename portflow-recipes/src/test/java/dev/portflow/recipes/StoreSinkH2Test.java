package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSinkH2Test extends StoreSinkContract {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
    }

    @Override
    StoreConfig config(String table, String key) {
        return new StoreConfig(url(), table, key, null, null);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Test
    void defaultsToAnH2FileNamedAfterThePipelineAndATableNamedAfterTheComponent() throws Exception {
        StoreSink sink = new StoreSink(new StoreConfig(), dir);
        run(Pipeline.builder("shop")
                .source("in", JsonMessage.class, TestSupport.bodies(obj("n", 1), obj("n", 2)))
                .sink("order-store", sink)
                .connect("in.out_orders", "order-store.in_orders"));

        assertThat(sink.url()).isEqualTo("jdbc:h2:" + dir.toAbsolutePath().resolve("shop") + ";WRITE_DELAY=0");
        assertThat(sink.table()).isEqualTo("order_store");
        assertThat(Files.exists(dir.resolve("shop.mv.db"))).isTrue();
        try (Connection c = DriverManager.getConnection(sink.url());
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM order_store")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void anUnreachableDatabaseFailsTheStartWithoutThePassword() {
        assertThatThrownBy(() -> Pipeline.builder("orders")
                .source("in", JsonMessage.class, TestSupport.source())
                .sink("store", new StoreSink(new StoreConfig("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", null, null, "u", "secret")))
                .connect("in.out_orders", "store.in_orders")
                .build().start())
                .isInstanceOf(PipelineStartException.class)
                .hasMessageContaining("setup of component 'store' failed: store: cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new StoreConfig("jdbc:mysql://x/y", null, null, null, null))
                .hasMessage("store: 'url' must be a JDBC URL starting with jdbc:h2: (embedded H2) or jdbc:postgresql:, was \"jdbc:mysql://x/y\"");
        assertThatThrownBy(() -> new StoreConfig("jdbc:h2:mem:x;init=RUNSCRIPT FROM 'evil.sql'", null, null, null, null))
                .hasMessageStartingWith("store: 'url' must be an H2 URL without INIT=");
        assertThatThrownBy(() -> new StoreConfig(null, "orders; DROP TABLE x", null, null, null))
                .hasMessage("store: 'table' must be an SQL identifier: a letter or '_', then letters, digits or '_', at most 63 characters,"
                        + " was \"orders; DROP TABLE x\"");
        assertThatThrownBy(() -> new StoreConfig(null, "1orders", null, null, null))
                .hasMessageContaining("'table' must be an SQL identifier");
        assertThatThrownBy(() -> new StoreConfig(null, null, " ", null, null))
                .hasMessage("store: 'key' must be the name of a top-level field (or absent for the message id), was \" \"");
        assertThatThrownBy(() -> StoreConfig.fromMap(Map.of("uri", "jdbc:h2:mem:x")))
                .hasMessage("store: unknown config key 'uri'; accepted keys: key, password, table, url, user");
        assertThat(new StoreConfig(null, null, null, "u", "secret").toString()).doesNotContain("secret");
        assertThat(new StoreConfig().tableFor("2nd-store")).isEqualTo("t_2nd_store");
    }

    @org.junit.jupiter.api.Test
    void embeddedH2FilesAreDurableOnCommitUnlessTheUrlSaysOtherwise() {
        assertThat(StoreSink.durable("jdbc:h2:./data/shop")).isEqualTo("jdbc:h2:./data/shop;WRITE_DELAY=0");
        assertThat(StoreSink.durable("jdbc:h2:file:/tmp/x;MODE=PostgreSQL")).isEqualTo("jdbc:h2:file:/tmp/x;MODE=PostgreSQL;WRITE_DELAY=0");
        assertThat(StoreSink.durable("jdbc:h2:./data/shop;write_delay=500")).isEqualTo("jdbc:h2:./data/shop;write_delay=500");
        assertThat(StoreSink.durable("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test");
        assertThat(StoreSink.durable("jdbc:postgresql://db/shop")).isEqualTo("jdbc:postgresql://db/shop");
    }

}
