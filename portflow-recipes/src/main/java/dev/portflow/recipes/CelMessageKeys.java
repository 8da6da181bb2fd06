package dev.portflow.recipes;

import dev.portflow.blueprint.spi.MessageKeys;
import java.util.function.Function;

/** The keys of {@code ordering: key}: a field name or a CEL expression, made by {@link MessageKey}. */
public final class CelMessageKeys implements MessageKeys {

    @Override
    public Function<Object, ?> keyFunction(String expression, String component) {
        return MessageKey.of(expression, component);
    }
}
