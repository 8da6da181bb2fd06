package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.parse.BlueprintParser;
import dev.portflow.blueprint.parse.BlueprintText;
import dev.portflow.blueprint.parse.EnvironmentVariables;
import dev.portflow.blueprint.validate.BlueprintValidator;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * <p>{@code ${NAME}} in the values of a blueprint is replaced by the environment variable
 * {@code NAME} (upper-case names only; {@code ${NAME:-default}}; <code>$${</code> for a literal
 * <code>${</code>), read from the process's environment unless {@link #withEnvironment(Map)} gives
 * another.
 *
 * <p>Thread-safe; stateless apart from its class loader.
 */
public final class BlueprintLoader implements AutoCloseable {

    private final RecipeRegistry recipes;
    private final ClassLoader classLoader;
    /** The class loader over the lib jars, if this loader made one (then it closes it). */
    private final @Nullable URLClassLoader owned;
    /** Where {@code ${NAME}} is looked up; {@code null}: the process's environment, read at each validation. */
    private final @Nullable Map<String, String> environment;

    private BlueprintLoader(
            RecipeRegistry recipes,
            ClassLoader classLoader,
            @Nullable URLClassLoader owned,
            @Nullable Map<String, String> environment) {
        this.recipes = Objects.requireNonNull(recipes, "recipes");
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.owned = owned;
        this.environment = environment == null ? null : Map.copyOf(environment);
    }

    /**
     * The built-in recipes plus those discovered on the thread's context class loader, and user
     * classes from that class loader.
     */
    public static BlueprintLoader standard() {
        ClassLoader loader = defaultClassLoader();
        return new BlueprintLoader(RecipeRegistry.builtIns().withDiscovered(loader), loader, null, null);
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
        return new BlueprintLoader(RecipeRegistry.builtIns().withDiscovered(loader), loader, loader, null);
    }

    /** Exactly these recipes and this class loader. */
    public static BlueprintLoader of(RecipeRegistry recipes, ClassLoader classLoader) {
        return new BlueprintLoader(recipes, classLoader, null, null);
    }

    /**
     * This loader with {@code ${NAME}} taken from {@code variables} instead of the process's
     * environment (for tests, or to pass values explicitly). It shares the recipes and the class
     * loader; closing it does not close the lib jars' class loader (close this one for that).
     */
    public BlueprintLoader withEnvironment(Map<String, String> variables) {
        return new BlueprintLoader(recipes, classLoader, null, Objects.requireNonNull(variables, "variables"));
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
     * an unreadable file, one larger than 4 MiB, one that is not UTF-8 or holds characters YAML does
     * not allow is a problem too.
     */
    public Validation validate(Path file) {
        return validate(file, null);
    }

    /**
     * Like {@link #validate(Path)} for a process that runs only the components {@code only} names
     * ({@code --only}; {@code null} or empty: all): also checks that they exist and that every
     * connection between one of them and another component is {@code transport: kafka}.
     */
    public Validation validate(Path file, @Nullable List<String> only) {
        String label = file.toString();
        BlueprintText.Read read = BlueprintText.read(label, file);
        if (read.text() == null) {
            return new Validation(null, read.problems());
        }
        return validateText(label, file, read.text(), only);
    }

    /** Validates blueprint text; {@code file} names it in problems. Relative paths resolve against the working directory. */
    public Validation validate(String file, String text) {
        return validate(file, text, null);
    }

    /** {@link #validate(String, String)} for a process that runs only the components {@code only} names. */
    public Validation validate(String file, String text, @Nullable List<String> only) {
        List<Problem> unreadable = BlueprintText.check(file, text);
        return unreadable.isEmpty() ? validateText(file, null, text, only) : new Validation(null, unreadable);
    }

    /**
     * Problems in the order {@link Validation} documents: those of single elements (syntax, keys,
     * names, values, references) in file order, then those of the pipeline as a whole, which may
     * follow from them; a value with a problem of its own (an unset environment variable, a tag that
     * does not fit, a broken alias) has that one problem only.
     */
    private Validation validateText(String label, @Nullable Path path, String text, @Nullable List<String> only) {
        BlueprintParser.Result parsed = BlueprintParser.parse(
                label, path, text, new EnvironmentVariables(environment != null ? environment : System.getenv()));
        if (parsed.blueprint().isEmpty()) {
            return new Validation(
                    null, parsed.problems().stream().sorted(Problem.BY_POSITION).toList());
        }
        Blueprint blueprint = parsed.blueprint().get();
        BlueprintValidator.Result validated =
                BlueprintValidator.validate(blueprint, recipes.byName(), classLoader, only);
        List<Problem> elements = new ArrayList<>(parsed.problems());
        elements.addAll(validated.elementProblems());
        elements.sort(Problem.BY_POSITION);
        List<Problem> all = new ArrayList<>(elements);
        all.addAll(validated.pipelineProblems());
        if (!parsed.faulty().isEmpty()) {
            all.removeIf(parsed::followsFromFaultyValue);
        }
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
     * @throws BlueprintException   listing every problem of the blueprint; nothing was started
     * @throws StartFailureException when something outside the blueprint fails: Kafka cannot be reached,
     *                               the server's host cannot be used; nothing was started
     */
    public Assembly assemble(Blueprint blueprint, AssemblyOptions options) {
        BlueprintValidator.Result validated =
                BlueprintValidator.validate(blueprint, recipes.byName(), classLoader, options.only());
        if (!validated.problems().isEmpty()) {
            throw new BlueprintException(validated.problems());
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
