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

/** {@code recipe: log_sink}, made of {@link LogSink}. */
public final class LogSinkRecipe extends AbstractRecipe {

    public LogSinkRecipe() {
        super(
                LogSinkConfig.RECIPE,
                ComponentKind.SINK,
                "logs each message",
                PortRule.sink(),
                List.of(
                        ConfigKey.optional("level", ConfigType.STRING, "info", "log level (any case)")
                                .allowed("trace", "debug", "info", "warn", "warning", "error"),
                        ConfigKey.optional(
                                "logger",
                                ConfigType.STRING,
                                null,
                                "logger name; default " + LogSinkConfig.DEFAULT_LOGGER)),
                LogSink.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new LogSink(config(context.config()));
    }

    private static LogSinkConfig config(RecipeConfig c) {
        return new LogSinkConfig(LogSinkConfig.parseLevel(c.getString("level")), c.getString("logger"));
    }
}
