package dev.portflow.blueprint;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Function;

/**
 * The keys of {@code ordering: key}: a top-level field name or a CEL expression over the message,
 * made by {@code MessageKey} of {@code portflow-recipes} (which has CEL), looked up by name as the
 * built-in recipes are, so this module validates and draws without it. See that class for what a
 * key reads and gives.
 */
final class KeyExpressions {

    /** The implementation: {@code of(String expression, String component)} makes a {@code Function<Object, Object>}. */
    static final String MESSAGE_KEY = BuiltInRecipes.IMPLEMENTATION_PACKAGE + ".MessageKey";

    private KeyExpressions() {}

    /**
     * What the implementation says of {@code expression}: its complaint (CEL's diagnostics included),
     * or {@code null} when it takes it, or when there is no implementation to ask (assembly then says so).
     */
    static String complaint(String expression, ClassLoader loader) {
        Method of = factory(loader);
        if (of == null) {
            return null;
        }
        return ReflectiveComplaint.of(of, expression, null);
    }

    /**
     * The key function of component {@code component}.
     *
     * @throws IllegalStateException when {@code portflow-recipes} is not on the class path, or it refuses the key
     */
    @SuppressWarnings("unchecked")
    static Function<Object, ?> function(String expression, String component, ClassLoader loader) {
        Method of = factory(loader);
        if (of == null) {
            throw new IllegalStateException("ordering by key needs " + MESSAGE_KEY
                    + " (keys are CEL expressions), which is not on the classpath; add the portflow-recipes module");
        }
        try {
            return (Function<Object, ?>) of.invoke(null, expression, component);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method factory(ClassLoader loader) {
        try {
            return Class.forName(MESSAGE_KEY, true, loader).getMethod("of", String.class, String.class);
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError absent) {
            return null;
        }
    }
}
