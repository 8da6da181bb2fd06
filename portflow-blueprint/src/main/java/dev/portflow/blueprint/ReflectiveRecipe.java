package dev.portflow.blueprint;

import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A built-in recipe whose configuration is declared here and whose implementation is loaded by
 * name when the pipeline is assembled, so this module compiles and validates without it.
 *
 * <p>If the package has a class {@code Recipes} with a public static
 * {@code create(String recipe, Map<String, ?> config, Path dataDirectory)}, that dispatcher makes
 * every recipe of the package: it gets the recipe's name, the validated config (defaults filled
 * in; {@code path} keys as resolved {@link Path}s) and the data directory.
 *
 * <p>Otherwise the class is the first of {@code <package>.<candidate>} and
 * {@code <package>.<candidate>Recipe} found, and is made by the first of:
 * <ol>
 *   <li>a public static {@code create(RecipeContext)} method;</li>
 *   <li>a public constructor taking a {@link RecipeContext};</li>
 *   <li>a public constructor taking one record, bound from the configuration (record component
 *       {@code windowMs} from key {@code window_ms}; {@code Duration} from milliseconds,
 *       {@code Path} resolved against the blueprint's directory, lists and nested records too);</li>
 *   <li>a public constructor taking a {@code Map} (the configuration as a map);</li>
 *   <li>a public no-arg constructor (then {@link Configurable#configure} if implemented).</li>
 * </ol>
 */
class ReflectiveRecipe implements Recipe {

    private final String name;
    private final ComponentKind kind;
    private final String description;
    private final PortRule ports;
    private final List<ConfigKey> config;
    private final String pkg;
    private final List<String> candidates;
    /**
     * What the implementation said of configs it was shown (empty: fine). Compiling CEL is the costly
     * part of validation; a config is checked again when assembly validates again, and pipelines
     * repeat expressions.
     */
    private final Map<Map<String, Object>, java.util.Optional<String>> complaints = new java.util.HashMap<>();

    private static final int MAX_REMEMBERED = 10_000;

    ReflectiveRecipe(
            String name,
            ComponentKind kind,
            String description,
            PortRule ports,
            List<ConfigKey> config,
            String pkg,
            String... candidates) {
        this.name = name;
        this.kind = kind;
        this.description = description;
        this.ports = ports;
        this.config = List.copyOf(config);
        this.pkg = pkg;
        this.candidates = List.of(candidates);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ComponentKind kind() {
        return kind;
    }

    @Override
    public PortRule ports() {
        return ports;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return config;
    }

    /** The implementation class names tried, in order: each candidate, then the candidate + "Recipe". */
    List<String> classNames() {
        return candidates.stream()
                .flatMap(c -> c.endsWith("Recipe")
                        ? java.util.stream.Stream.of(c)
                        : java.util.stream.Stream.of(c, c + "Recipe"))
                .distinct()
                .map(c -> pkg + "." + c)
                .toList();
    }

    /**
     * Lets the implementation check the configuration before anything runs (so {@code validate}
     * reports a CEL syntax error, say), through {@code <package>.Recipes.checkConfig(String, Map)}
     * when the implementation module offers it. Every bad expression is reported at its own value
     * (see {@link ConfigExpressions}); another complaint at the config key it names, else at
     * {@code config:}.
     */
    @Override
    public void check(RecipeCheck check) {
        if (!keysAsDeclared(check)) {
            return; // the unknown or missing key is reported already; do not report it twice
        }
        Method checker;
        try {
            Class<?> recipes = Class.forName(pkg + ".Recipes", true, checkLoader());
            checker = recipes.getMethod("checkConfig", String.class, Map.class);
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError absent) {
            return; // no implementation to ask: assembly will say so
        }
        String failure = complaint(checker, check.config().asMap());
        if (failure != null) {
            ConfigExpressions.report(
                    check, name, config, values -> complaint(checker, values), failure, positionOf(check, failure));
        }
    }

    /** What the implementation's {@code checkConfig} says of {@code values}: its complaint, or {@code null}. */
    private String complaint(Method checker, Map<String, Object> values) {
        java.util.Optional<String> known = complaints.get(values);
        if (known != null) {
            return known.orElse(null);
        }
        String complaint = ask(checker, values);
        if (complaints.size() >= MAX_REMEMBERED) {
            complaints.clear();
        }
        complaints.put(values, java.util.Optional.ofNullable(complaint));
        return complaint;
    }

    private String ask(Method checker, Map<String, Object> values) {
        return ReflectiveComplaint.of(checker, name, values);
    }

    /** Whether the component's config has only declared keys and every required one. */
    private boolean keysAsDeclared(RecipeCheck check) {
        java.util.Set<String> given = check.component().config().keySet();
        for (String key : given) {
            if (config.stream().noneMatch(k -> k.name().equals(key))) {
                return false;
            }
        }
        return config.stream().filter(ConfigKey::required).allMatch(k -> given.contains(k.name()));
    }

    private static ClassLoader checkLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ReflectiveRecipe.class.getClassLoader();
    }

    /** The value of the first config key the message names ({@code 'size'} or {@code condition:}), else {@code config:}. */
    private static Position positionOf(RecipeCheck check, String message) {
        for (var entry : check.component().config().entrySet()) {
            String key = entry.getKey();
            if (message != null
                    && (message.contains("'" + key + "'")
                            || message.contains(key + ":")
                            || message.contains(" " + key + " "))) {
                return entry.getValue().valuePosition();
            }
        }
        return check.component().position("config");
    }

    @Override
    public Component create(RecipeContext context) throws Exception {
        Method dispatcher = dispatcher(context.classLoader());
        Class<?> type = dispatcher != null ? dispatcher.getDeclaringClass() : implementation(context.classLoader());
        Object made;
        if (dispatcher != null) {
            try {
                made = dispatcher.invoke(null, name, dispatcherConfig(context), context.dataDirectory());
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw new IllegalStateException(String.valueOf(cause), cause); // an Error: still say what it was
            }
            if (made == null) {
                throw new IllegalStateException(type.getName() + ".create made nothing for recipe '" + name + "'");
            }
        } else {
            made = instantiate(type, context);
        }
        if (!(made instanceof Component component)) {
            throw new IllegalStateException(type.getName() + " (implementation of recipe '" + name + "') made a "
                    + made.getClass().getName() + ", not a dev.portflow.component.Component");
        }
        return component;
    }

    /** {@code <package>.Recipes.create(String, Map, Path)}, if there is one. */
    private Method dispatcher(ClassLoader loader) {
        try {
            Class<?> recipes = Class.forName(pkg + ".Recipes", true, loader);
            Method create = recipes.getMethod("create", String.class, Map.class, Path.class);
            return Modifier.isStatic(create.getModifiers()) && Modifier.isPublic(recipes.getModifiers())
                    ? create
                    : null;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    /** The validated config, with {@code path} keys resolved against the blueprint's directory. */
    private Map<String, Object> dispatcherConfig(RecipeContext context) {
        Map<String, Object> values = new LinkedHashMap<>(context.config().asMap());
        for (ConfigKey key : config) {
            if (key.type() == ConfigType.PATH && values.get(key.name()) != null) {
                values.put(key.name(), context.config().getPath(key.name()));
            }
        }
        return java.util.Collections.unmodifiableMap(values);
    }

    private Class<?> implementation(ClassLoader loader) {
        for (String className : classNames()) {
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                // try the next candidate
            }
        }
        throw new IllegalStateException("recipe '" + name + "' is built in, but its implementation ("
                + String.join(" or ", classNames()) + ") is not on the classpath; add the portflow-recipes module");
    }

    private Object instantiate(Class<?> type, RecipeContext context) throws Exception {
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalStateException(
                    type.getName() + " (implementation of recipe '" + name + "') is not public");
        }
        try {
            for (Method m : type.getMethods()) {
                if (m.getName().equals("create")
                        && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].isAssignableFrom(RecipeContext.class)) {
                    return m.invoke(null, context);
                }
            }
            Constructor<?>[] constructors = type.getConstructors();
            for (Constructor<?> c : constructors) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == RecipeContext.class) {
                    return c.newInstance(context);
                }
            }
            for (Constructor<?> c : constructors) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0].isRecord()) {
                    return c.newInstance(bindRecord(
                            c.getParameterTypes()[0], context.config().asMap(), context, true));
                }
            }
            for (Constructor<?> c : constructors) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Map.class) {
                    return c.newInstance(context.config().asMap());
                }
            }
            for (Constructor<?> c : constructors) {
                if (c.getParameterCount() == 0) {
                    Object made = c.newInstance();
                    if (made instanceof Configurable configurable) {
                        configurable.configure(context);
                    }
                    return made;
                }
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
        throw new IllegalStateException(type.getName() + " (implementation of recipe '" + name + "') has none of"
                + " a static create(RecipeContext), a constructor taking a RecipeContext, a config record or a Map,"
                + " or a no-arg constructor");
    }

    // ---------------------------------------------------------------- record binding

    /** "windowMs" -> "window_ms". */
    static String snakeCase(String camel) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                s.append('_').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    static Object bindRecord(Class<?> recordType, Map<?, ?> values, RecipeContext context, boolean top)
            throws ReflectiveOperationException {
        RecordComponent[] components = recordType.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            String key = snakeCase(rc.getName());
            Object raw = values.containsKey(key) ? values.get(key) : values.get(rc.getName());
            if (raw == null && top) {
                raw = switch (rc.getName()) {
                    case "componentName" -> context.componentName();
                    case "pipelineName" -> context.pipelineName();
                    case "dataDirectory" -> context.dataDirectory();
                    default -> null;
                };
            }
            if (raw instanceof String text && rc.getType() == Path.class && top) {
                raw = context.config().getPath(key);
                if (raw == null) {
                    raw = context.blueprintDirectory().resolve(text).normalize();
                }
            }
            args[i] = convert(raw, rc.getGenericType(), key, context);
        }
        Constructor<?> canonical = recordType.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return canonical.newInstance(args);
    }

    private static Object convert(Object raw, Type type, String key, RecipeContext context)
            throws ReflectiveOperationException {
        Class<?> cls = type instanceof Class<?> c
                ? c
                : type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
        if (raw == null) {
            if (cls == boolean.class) {
                return false;
            }
            if (cls.isPrimitive()) {
                return convert(0L, cls, key, context);
            }
            return null;
        }
        if (cls.isInstance(raw) && !(raw instanceof List) && !(raw instanceof Map)) {
            return raw;
        }
        if (cls == String.class) {
            return String.valueOf(raw);
        }
        if (raw instanceof Number n) {
            if (cls == int.class || cls == Integer.class) {
                return Math.toIntExact(n.longValue());
            } else if (cls == long.class || cls == Long.class) {
                return n.longValue();
            } else if (cls == double.class || cls == Double.class) {
                return n.doubleValue();
            } else if (cls == float.class || cls == Float.class) {
                return n.floatValue();
            } else if (cls == short.class || cls == Short.class) {
                return (short) n.longValue();
            } else if (cls == Duration.class) {
                return Duration.ofMillis(n.longValue());
            }
        }
        if (raw instanceof Boolean b && (cls == boolean.class || cls == Boolean.class)) {
            return b;
        }
        if (raw instanceof String text) {
            if (cls == Path.class) {
                return Path.of(text);
            }
            if (cls.isEnum()) {
                for (Object constant : cls.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
            }
        }
        if (raw instanceof Map<?, ?> map) {
            if (cls.isRecord()) {
                return bindRecord(cls, map, context, false);
            }
            if (Map.class.isAssignableFrom(cls)) {
                Type valueType = type instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.put(String.valueOf(e.getKey()), convert(e.getValue(), valueType, key, context));
                }
                return out;
            }
        }
        if (raw instanceof List<?> list && (List.class.isAssignableFrom(cls) || cls == Object.class)) {
            Type elementType = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(convert(item, elementType, key, context));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        if (cls == Object.class) {
            return raw;
        }
        throw new IllegalStateException("config key '" + key + "': cannot make a " + cls.getSimpleName() + " of " + raw
                + " (" + raw.getClass().getSimpleName() + ")" + hintFor(cls));
    }

    private static String hintFor(Class<?> cls) {
        return cls.isEnum()
                ? "; expected one of "
                        + List.of(cls.getEnumConstants()).toString().toLowerCase(Locale.ROOT)
                : "";
    }
}
