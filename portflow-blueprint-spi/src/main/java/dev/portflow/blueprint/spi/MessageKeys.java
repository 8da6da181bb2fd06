package dev.portflow.blueprint.spi;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Makes the key functions of {@code ordering: key} from the {@code key:} a blueprint gives (a field
 * name or an expression). Found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.portflow.blueprint.spi.MessageKeys}); {@code portflow-recipes}
 * provides the CEL one.
 */
public interface MessageKeys {

    /**
     * The key function of {@code component} for {@code expression}: it maps a message's body to its
     * key.
     *
     * @param component the component's name, for log messages; {@code null} when only checking
     * @throws IllegalArgumentException when {@code expression} is not a valid key, saying why
     */
    Function<Object, ?> keyFunction(String expression, @Nullable String component);
}
