package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.spi.MessageKeys;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The keys of {@code ordering: key}: a top-level field name or a CEL expression over the message,
 * made by the {@link MessageKeys} found through {@link ServiceLoader} ({@code portflow-recipes}
 * provides the CEL one), so this module validates and draws without CEL. See that module's
 * {@code MessageKey} for what a key reads and gives.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.assemble}, which makes the
 * key functions with {@link #function}.
 */
public final class KeyExpressions {

    private KeyExpressions() {}

    /**
     * What the key maker says of {@code expression}: its complaint (CEL's diagnostics included), or
     * {@code null} when it takes it, or when there is no key maker to ask (assembly then says so).
     */
    static @Nullable String complaint(String expression, ClassLoader loader) {
        Optional<MessageKeys> keys = keyMaker(loader);
        if (keys.isEmpty()) {
            return null;
        }
        try {
            keys.get().keyFunction(expression, null);
            return null;
        } catch (IllegalArgumentException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * The key function of component {@code component}.
     *
     * @throws IllegalStateException when no key maker is on the class path, or it refuses the key
     */
    public static Function<Object, ?> function(String expression, String component, ClassLoader loader) {
        MessageKeys keys = keyMaker(loader)
                .orElseThrow(() -> new IllegalStateException("ordering by key needs an implementation of "
                        + MessageKeys.class.getName() + " (keys are CEL expressions), which is not on the classpath;"
                        + " add the portflow-recipes module"));
        try {
            return keys.keyFunction(expression, component);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Optional<MessageKeys> keyMaker(ClassLoader loader) {
        try {
            return ServiceLoader.load(MessageKeys.class, loader).findFirst();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "the key maker declared in META-INF/services/" + MessageKeys.class.getName()
                            + " could not be loaded: " + e.getMessage(),
                    e);
        }
    }
}
