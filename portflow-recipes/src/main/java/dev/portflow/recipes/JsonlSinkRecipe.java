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

/** {@code recipe: jsonl_sink}, made of {@link JsonlSink}. */
public final class JsonlSinkRecipe extends AbstractRecipe {

    public JsonlSinkRecipe() {
        super(
                JsonlSinkConfig.RECIPE,
                ComponentKind.SINK,
                "appends each message as one JSON line to a file",
                PortRule.sink(),
                List.of(
                        ConfigKey.required("path", ConfigType.PATH, "the file; relative to the blueprint's directory"),
                        ConfigKey.optional(
                                "metadata",
                                ConfigType.BOOLEAN,
                                true,
                                "each line carries _id, _ingest_time and _event_time before the body's fields"),
                        ConfigKey.optional(
                                        "flush_ms",
                                        ConfigType.DURATION_MS,
                                        JsonlSinkConfig.DEFAULT_FLUSH_INTERVAL_MS,
                                        "longest a written line stays buffered; 0 flushes every line")
                                .range(0, 3_600_000)),
                JsonlSink.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new JsonlSink(config(context.config()));
    }

    private static JsonlSinkConfig config(RecipeConfig c) {
        return new JsonlSinkConfig(c.getPath("path"), c.getBoolean("metadata"), c.getLong("flush_ms"));
    }
}
