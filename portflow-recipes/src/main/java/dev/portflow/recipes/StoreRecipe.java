package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/** {@code recipe: store}, made of {@link StoreSink}. */
public final class StoreRecipe extends AbstractRecipe {

    public StoreRecipe() {
        super(
                StoreConfig.RECIPE,
                ComponentKind.SINK,
                "writes each message to a JDBC table (embedded H2 by default, PostgreSQL by url)",
                PortRule.sink(),
                List.of(
                        ConfigKey.optional(
                                "url",
                                ConfigType.STRING,
                                null,
                                "JDBC url; default: an embedded H2 database in the data directory"),
                        ConfigKey.optional(
                                "table", ConfigType.STRING, null, "table name; default: the component's name"),
                        ConfigKey.optional(
                                "key",
                                ConfigType.STRING,
                                null,
                                "field used as primary key (upsert); default: insert only"),
                        ConfigKey.optional("user", ConfigType.STRING, null, "database user"),
                        ConfigKey.optional("password", ConfigType.STRING, null, "database password"),
                        ConfigKey.optional(
                                        "outage_timeout_ms",
                                        ConfigType.DURATION_MS,
                                        null,
                                        "how long a message waits, retrying, for an unreachable database before it"
                                                + " fails to the err_* port; default: no limit (the buffer fills,"
                                                + " backpressure reaches the senders)")
                                .range(1, 31_536_000_000L)),
                StoreSink.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new StoreSink(config(context.config()), context.dataDirectory());
    }

    private static StoreConfig config(RecipeConfig c) {
        return new StoreConfig(
                c.getString("url"),
                c.getString("table"),
                c.getString("key"),
                c.getString("user"),
                c.getString("password"),
                c.has("outage_timeout_ms") ? c.getLong("outage_timeout_ms") : null);
    }
}
