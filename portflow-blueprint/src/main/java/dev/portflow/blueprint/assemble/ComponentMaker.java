package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.blueprint.validate.UserClasses;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

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
     * @param dataDirectory where recipes keep files
     * @param loader        the class loader of the user classes and key makers
     */
    public static void addAll(
            AssemblyState state, Collection<Resolved> components, Path dataDirectory, ClassLoader loader) {
        Blueprint blueprint = state.blueprint();
        for (Resolved r : components) {
            if (!state.runsHere(r.spec().name())) {
                continue;
            }
            ComponentContext context = new ComponentContext(blueprint, r, state.schemas(), dataDirectory, loader);
            Position at = r.spec().position(r.recipe() != null ? "recipe" : "class");
            Component component;
            try {
                component = create(r, context);
            } catch (Exception | LinkageError e) {
                state.problem(
                        at,
                        "could not create component '" + r.spec().name() + "' ("
                                + r.spec().describeType() + "): " + ExceptionMessages.message(e),
                        hintFor(e));
                continue;
            }
            ComponentKind actual = UserClasses.kindOf(component.getClass());
            if (actual != r.kind()) {
                state.problem(
                        at,
                        r.spec().describeType() + " made a "
                                + actual.name().toLowerCase(Locale.ROOT) + " ("
                                + component.getClass().getName()
                                + "), but it is declared a " + r.kind().name().toLowerCase(Locale.ROOT),
                        null);
                continue;
            }
            state.builder().component(r.spec().name(), component);
            WorkerSettings.apply(state, r, component, loader);
        }
    }

    private static Component create(Resolved r, ComponentContext context) throws Exception {
        if (r.recipe() != null) {
            Component c = r.recipe().create(context);
            if (c == null) {
                throw new IllegalStateException("recipe '" + r.recipe().name() + "' made no component");
            }
            return c;
        }
        Object made;
        try {
            made = r.userClass().getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (made instanceof Configurable configurable) {
            configurable.configure(context);
        }
        return (Component) made;
    }

    private static String hintFor(Throwable e) {
        return e instanceof LinkageError
                ? "a class it needs is missing or incompatible: " + e.getClass().getSimpleName()
                : null;
    }
}
