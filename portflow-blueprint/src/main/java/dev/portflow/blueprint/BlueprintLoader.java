package dev.portflow.blueprint;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loads, validates, assembles and draws blueprints with one set of recipes and one class loader.
 * {@link Blueprints} offers the same with the standard set; use a loader of your own for user jars
 * or extra recipes:
 *
 * <pre>{@code
 * try (BlueprintLoader loader = BlueprintLoader.withLibJars(List.of(Path.of("lib/acme.jar")))) {
 *     Validation v = loader.validate(Path.of("orders.yaml"));
 *     if (!v.isValid()) { System.err.println(v.report()); return 2; }
 *     loader.assemble(v.blueprint(), AssemblyOptions.defaults()).start();
 * }
 * }</pre>
 *
 * <p>Thread-safe; stateless apart from its class loader.
 */
public final class BlueprintLoader implements AutoCloseable {

    private final RecipeRegistry recipes;
    private final ClassLoader classLoader;
    private final URLClassLoader owned;

    private BlueprintLoader(RecipeRegistry recipes, ClassLoader classLoader, URLClassLoader owned) {
        this.recipes = Objects.requireNonNull(recipes, "recipes");
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.owned = owned;
    }

    /**
     * The built-in recipes plus those discovered on the thread's context class loader, and user
     * classes from that class loader.
     */
    public static BlueprintLoader standard() {
        ClassLoader loader = defaultClassLoader();
        return new BlueprintLoader(RecipeRegistry.builtIns().withDiscovered(loader), loader, null);
    }

    /**
     * Like {@link #standard()}, with user classes and recipe jars also looked up in {@code libJars}
     * (closed with {@link #close()}, after the pipelines built from it have stopped).
     *
     * @throws IllegalArgumentException if a jar does not exist
     */
    public static BlueprintLoader withLibJars(List<Path> libJars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : libJars) {
            if (!Files.exists(jar)) {
                throw new IllegalArgumentException("lib jar " + jar + " does not exist");
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("lib jar " + jar + ": " + e.getMessage(), e);
            }
        }
        URLClassLoader loader = new URLClassLoader("portflow-lib", urls.toArray(URL[]::new), defaultClassLoader());
        return new BlueprintLoader(RecipeRegistry.builtIns().withDiscovered(loader), loader, loader);
    }

    /** Exactly these recipes and this class loader. */
    public static BlueprintLoader of(RecipeRegistry recipes, ClassLoader classLoader) {
        return new BlueprintLoader(recipes, classLoader, null);
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : BlueprintLoader.class.getClassLoader();
    }

    public RecipeRegistry recipes() {
        return recipes;
    }

    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * Reads and validates the blueprint in {@code file}: YAML syntax, shape, names, references,
     * recipes and classes, configuration, ports, schemas, cycles. Never throws for a bad blueprint;
     * an unreadable file is a problem too.
     */
    public Validation validate(Path file) {
        return validate(file, null);
    }

    /**
     * Like {@link #validate(Path)} for a process that runs only the components {@code only} names
     * ({@code --only}; {@code null} or empty: all): also checks that they exist and that every
     * connection between one of them and another component is {@code transport: kafka}.
     */
    public Validation validate(Path file, List<String> only) {
        String label = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Validation(null, List.of(Problem.at(label, Position.START, "no such file", null)));
        } catch (CharacterCodingException e) {
            return new Validation(null, List.of(Problem.at(label, Position.START, "the file is not UTF-8 text", null)));
        } catch (IOException e) {
            return new Validation(null, List.of(Problem.at(label, Position.START, "cannot read the file: " + e, null)));
        }
        return validate(label, file, text, only);
    }

    /** Validates blueprint text; {@code file} names it in problems. Relative paths resolve against the working directory. */
    public Validation validate(String file, String text) {
        return validate(file, null, text, null);
    }

    /** {@link #validate(String, String)} for a process that runs only the components {@code only} names. */
    public Validation validate(String file, String text, List<String> only) {
        return validate(file, null, text, only);
    }

    private Validation validate(String label, Path path, String text, List<String> only) {
        BlueprintParser.Result parsed = BlueprintParser.parse(label, path, text);
        if (parsed.blueprint().isEmpty()) {
            return new Validation(null, parsed.problems());
        }
        Blueprint blueprint = parsed.blueprint().get();
        List<Problem> all = new ArrayList<>(parsed.problems());
        all.addAll(BlueprintValidator.validate(blueprint, recipes, classLoader, only).problems());
        return new Validation(blueprint, all);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws BlueprintException listing every problem
     */
    public Blueprint load(Path file) {
        return validate(file).orThrow();
    }

    /**
     * Builds the pipeline (not started) and, unless turned off in {@code options}, its server: the
     * components {@link AssemblyOptions#only()} names (all by default), and the ends of their Kafka
     * connections that run here (the Kafka client is made only if there is one; the topics are
     * created if missing). Validates again first, with the subset; recipe factories and user
     * constructors run here, and their failures are problems too, as are missing Kafka bootstrap
     * servers and a Kafka that cannot be reached.
     *
     * @throws BlueprintException listing every problem; nothing was started
     */
    public Assembly assemble(Blueprint blueprint, AssemblyOptions options) {
        BlueprintValidator.Result validated = BlueprintValidator.validate(blueprint, recipes, classLoader,
                options.only());
        if (!validated.problems().isEmpty()) {
            throw new BlueprintException(validated.problems().stream().sorted(Problem.BY_POSITION).toList());
        }
        return Assembler.assemble(blueprint, validated, options, classLoader);
    }

    /** The blueprint as Mermaid {@code graph LR} text (for {@code portflow graph}). */
    public String mermaid(Blueprint blueprint) {
        return MermaidGraph.render(blueprint, recipes, classLoader);
    }

    /** Closes the class loader over the lib jars, if this loader made one. */
    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }
}
