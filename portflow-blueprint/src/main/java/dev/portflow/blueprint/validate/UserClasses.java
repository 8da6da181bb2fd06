package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.component.Component;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The user classes of {@code class:} components: loading one (a problem for each way it cannot be
 * made), and which kind of component a class is.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.assemble} and
 * {@code dev.portflow.blueprint}, which check and draw the kind of a component with {@link #kindOf}.
 */
public final class UserClasses {

    private UserClasses() {}

    /**
     * The user class {@code className} that {@code c} names, or {@code null} with a problem: it must be
     * found through {@code loader}, be a public, concrete, static Portflow component with a public no-arg
     * constructor.
     */
    static @Nullable Class<?> load(ComponentSpec c, String className, ClassLoader loader, ProblemReporter reporter) {
        Position at = c.position("class");
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            reporter.problem(
                    at,
                    "class '" + className + "' not found",
                    className.contains(".")
                            ? "put its jar on the classpath or pass it to the loader as a lib jar"
                            : "use the fully qualified name, e.g. com.acme." + className);
            return null;
        }
        if (!Component.class.isAssignableFrom(type)) {
            reporter.problem(
                    at,
                    "class " + className + " is not a Portflow component",
                    "implement one of dev.portflow.component.Source, Transformer, Sink, Router or Merger");
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            reporter.problem(at, "class " + className + " is abstract", "name a concrete class");
            return null;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                reporter.problem(at, "class " + className + " is not public", "make " + t.getName() + " public");
                return null;
            }
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            reporter.problem(
                    at,
                    "class " + className + " is an inner class",
                    "make it static, so it can be made without an outer instance");
            return null;
        }
        if (Arrays.stream(type.getConstructors()).noneMatch(k -> k.getParameterCount() == 0)) {
            reporter.problem(
                    at,
                    "class " + className + " has no public no-arg constructor",
                    "add public " + type.getSimpleName() + "() { }, and read settings in Configurable.configure");
            return null;
        }
        return type;
    }

    /**
     * The kind of component class {@code type} is.
     *
     * @throws IllegalArgumentException if it is not a component
     */
    public static ComponentKind kindOf(Class<?> type) {
        if (Source.class.isAssignableFrom(type)) {
            return ComponentKind.SOURCE;
        } else if (Transformer.class.isAssignableFrom(type)) {
            return ComponentKind.TRANSFORMER;
        } else if (Sink.class.isAssignableFrom(type)) {
            return ComponentKind.SINK;
        } else if (Router.class.isAssignableFrom(type)) {
            return ComponentKind.ROUTER;
        } else if (Merger.class.isAssignableFrom(type)) {
            return ComponentKind.MERGER;
        }
        throw new IllegalArgumentException(type + " is not a component");
    }
}
