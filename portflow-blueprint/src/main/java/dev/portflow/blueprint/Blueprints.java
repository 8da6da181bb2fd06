package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Blueprint;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The blueprint facade for the CLI and for embedding: load, validate, assemble, draw, with the
 * built-in recipes (plus any discovered through {@code META-INF/services}) and the context class
 * loader. For user jars or extra recipes use a {@link BlueprintLoader}.
 *
 * <pre>{@code
 * Validation v = Blueprints.validate(Path.of("orders.yaml"));
 * if (!v.isValid()) {
 *     System.err.println(v.report());          // file:line:col: message (hint: ...), one per line
 *     System.exit(2);
 * }
 * Assembly running = Blueprints.assemble(v.blueprint(), AssemblyOptions.defaults()).start();
 * // on SIGTERM:
 * DrainReport report = running.drainAndStop(Duration.ofSeconds(30));
 * }</pre>
 */
public final class Blueprints {

    private Blueprints() {}

    private static volatile @Nullable BlueprintLoader standard;

    /**
     * The standard loader behind these methods, made on first use.
     *
     * @throws IllegalStateException if a recipe declared through {@code META-INF/services} cannot be loaded
     */
    public static BlueprintLoader loader() {
        BlueprintLoader loader = standard;
        if (loader == null) {
            synchronized (Blueprints.class) {
                loader = standard;
                if (loader == null) {
                    loader = BlueprintLoader.standard();
                    standard = loader;
                }
            }
        }
        return loader;
    }

    /** Reads and validates {@code file}; every problem at once, never throws for a bad blueprint. */
    public static Validation validate(Path file) {
        return loader().validate(file);
    }

    /**
     * Reads and validates {@code file} for a process that runs only the components {@code only}
     * names ({@code --only}; {@code null} or empty: all); see {@link BlueprintLoader#validate(Path, List)}.
     */
    public static Validation validate(Path file, @Nullable List<String> only) {
        return loader().validate(file, only);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws BlueprintException listing every problem
     */
    public static Blueprint load(Path file) {
        return loader().load(file);
    }

    /**
     * Builds a valid blueprint into a pipeline and its server, neither started.
     *
     * @throws BlueprintException   listing every problem of the blueprint; nothing was started
     * @throws StartFailureException when something outside the blueprint fails (Kafka cannot be
     *                               reached, the host does not resolve); nothing was started
     */
    public static Assembly assemble(Blueprint blueprint, AssemblyOptions options) {
        return loader().assemble(blueprint, options);
    }

    /** Loads and assembles {@code file} with the default options. */
    public static Assembly assemble(Path file) {
        return assemble(load(file), AssemblyOptions.defaults());
    }

    /** Mermaid {@code graph LR} text of {@code blueprint}. */
    public static String mermaid(Blueprint blueprint) {
        return loader().mermaid(blueprint);
    }
}
