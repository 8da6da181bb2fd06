package dev.portflow.blueprint;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Asks a static check of the implementation module, found by name (recipes' {@code checkConfig},
 * {@code MessageKey.of}): an {@link IllegalArgumentException} it throws is its complaint about the
 * input; anything else is a fault of the implementation, not of the blueprint.
 */
final class ReflectiveComplaint {

    private ReflectiveComplaint() {}

    /** The complaint of {@code check} about {@code args}, or {@code null} when it takes them. */
    static String of(Method check, Object... args) {
        try {
            check.invoke(null, args);
            return null;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                return String.valueOf(bad.getMessage());
            }
            throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
