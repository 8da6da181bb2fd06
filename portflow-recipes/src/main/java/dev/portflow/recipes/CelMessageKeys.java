package dev.portflow.recipes;

import dev.portflow.blueprint.spi.MessageKeys;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The keys of {@code ordering: key}: a field name or a CEL expression, made by {@link MessageKey}. */
public final class CelMessageKeys implements MessageKeys {

    @Override
    public Function<Object, ?> keyFunction(String expression, @Nullable String component) {
        return MessageKey.of(expression, component);
    }
}
