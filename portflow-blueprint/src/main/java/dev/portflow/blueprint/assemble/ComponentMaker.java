package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.blueprint.validate.UserClasses;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The first step of assembly: makes each component that runs in this process (by its recipe's
 * factory, or its user class's no-arg constructor and {@link Configurable#configure}), checks that it
 * is the kind it was validated as, and adds it to the pipeline with its workers and key
 * ({@link WorkerSettings}). A component that cannot be made is a problem at its recipe or class.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps.
 */
public final class ComponentMaker {

    private ComponentMaker() {}

    /**
     * Makes and adds {@code components} (those of them that run here).
     *
     * @param components    the validated components, by name
     * @param dataDirectory where recipes keep files
     * @param loader        the class loader of the user classes and key makers
     */
    public static void addAll(
            AssemblyState state, Map<String, Resolved> components, Path dataDirectory, ClassLoader loader) {
        Blueprint blueprint = state.blueprint();
        for (Map.Entry<String, Resolved> entry : components.entrySet()) {
            String name = entry.getKey();
            Resolved r = entry.getValue();
            if (!state.runsHere(name)) {
                continue;
            }
            ComponentContext context =
                    new ComponentContext(blueprint, state.pipeline(), name, r, state.schemas(), dataDirectory, loader);
            Position at = r.spec().position(r.recipe() != null ? "recipe" : "class");
            Component component;
            try {
                component = create(name, r, context);
            } catch (Exception | LinkageError e) {
                state.problem(
                        at,
                        "could not create component '" + name + "' (" + r.spec().describeType() + "): "
                                + ExceptionMessages.message(e),
                        hintFor(e));
                continue;
            }
            ComponentKind actual = UserClasses.kindOf(component.getClass());
            ComponentKind declared = r.kind();
            if (actual != declared) {
                state.problem(
                        at,
                        r.spec().describeType() + " made a "
                                + actual.name().toLowerCase(Locale.ROOT) + " ("
                                + component.getClass().getName()
                                + "), but it is declared a "
                                + String.valueOf(declared).toLowerCase(Locale.ROOT),
                        null);
                continue;
            }
            state.builder().component(name, component);
            WorkerSettings.apply(state, name, r, component, loader);
        }
    }

    private static Component create(String name, Resolved r, ComponentContext context) throws Exception {
        Recipe recipe = r.recipe();
        if (recipe != null) {
            Component c = recipe.create(context);
            if (c == null) {
                throw new IllegalStateException("recipe '" + recipe.name() + "' made no component");
            }
            return c;
        }
        Class<?> userClass = r.userClass();
        if (userClass == null) { // validation reports a component that is neither
            throw new IllegalStateException("component '" + name + "' has neither a recipe nor a class");
        }
        Object made;
        try {
            made = userClass.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (made instanceof Configurable configurable) {
            configurable.configure(context);
        }
        return (Component) made;
    }

    private static @Nullable String hintFor(Throwable e) {
        return e instanceof LinkageError
                ? "a class it needs is missing or incompatible: " + e.getClass().getSimpleName()
                : null;
    }
}
