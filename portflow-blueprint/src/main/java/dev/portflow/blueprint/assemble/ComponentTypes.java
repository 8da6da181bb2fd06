package dev.portflow.blueprint.assemble;

import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The message types of a user class's ports, read from the type arguments it gives its component
 * interface ({@code class Enrich implements Transformer<Order, Order>}): {@code Object} when they
 * are not known (a raw type, a type variable without a bound).
 */
final class ComponentTypes {

    private ComponentTypes() {}

    /** The type its input ports carry ({@code Object} when the class or its kind is not known). */
    static Class<?> inputType(@Nullable Class<?> component, @Nullable ComponentKind kind) {
        if (component == null || kind == null) {
            return Object.class;
        }
        return switch (kind) {
            case SOURCE -> Object.class;
            case TRANSFORMER -> argument(component, Transformer.class, 0);
            case SINK -> argument(component, Sink.class, 0);
            case ROUTER -> argument(component, Router.class, 0);
            case MERGER -> argument(component, Merger.class, 0);
        };
    }

    /** The type its {@code out_*} ports carry ({@code Object} when the class or its kind is not known). */
    static Class<?> outputType(@Nullable Class<?> component, @Nullable ComponentKind kind) {
        if (component == null || kind == null) {
            return Object.class;
        }
        return switch (kind) {
            case SOURCE -> argument(component, Source.class, 0);
            case TRANSFORMER -> argument(component, Transformer.class, 1);
            case SINK -> Object.class;
            case ROUTER -> argument(component, Router.class, 0);
            case MERGER -> argument(component, Merger.class, 0);
        };
    }

    /** The class {@code type} gives type parameter {@code index} of {@code target}, else {@code Object}. */
    static Class<?> argument(Class<?> type, Class<?> target, int index) {
        Type found = find(type, target, index, Map.of());
        return erase(found);
    }

    private static @Nullable Type find(Type type, Class<?> target, int index, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> here = new HashMap<>();
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> r) {
            raw = r;
            TypeVariable<?>[] parameters = r.getTypeParameters();
            Type[] arguments = p.getActualTypeArguments();
            for (int i = 0; i < parameters.length && i < arguments.length; i++) {
                here.put(parameters[i], substitute(arguments[i], bindings));
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        if (raw == target) {
            TypeVariable<?>[] parameters = raw.getTypeParameters();
            return index < parameters.length ? here.getOrDefault(parameters[index], parameters[index]) : null;
        }
        if (!target.isAssignableFrom(raw)) {
            return null;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Type found = find(parent, target, index, here);
            if (found != null) {
                return found;
            }
        }
        Type parent = raw.getGenericSuperclass();
        return parent == null ? null : find(parent, target, index, here);
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> v && bindings.containsKey(v) ? bindings.get(v) : type;
    }

    private static Class<?> erase(@Nullable Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        } else if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return erase(w.getUpperBounds()[0]);
        } else if (type instanceof TypeVariable<?> v && v.getBounds().length == 1) {
            return erase(v.getBounds()[0]);
        }
        return Object.class;
    }
}
