package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.RecipeConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs each component's {@link Recipe#checkConfig} (through {@link ConfigValueCheck}) and
 * {@link Recipe#check}, in component order.
 *
 * <p>A problem reported after the check read the connected ports is a problem of the pipeline
 * (listed after those of single elements), and is left out for a component whose connections are
 * known to be incomplete: it would follow from their problem.
 */
final class RecipeChecks {

    private RecipeChecks() {}

    /**
     * @param components the components by name; those with a recipe and a valid config are checked
     * @param incomplete components whose connections have problems
     */
    static void run(
            Map<String, BlueprintValidator.Resolved> components,
            Set<String> incomplete,
            ProblemReporter elementProblems,
            ProblemReporter pipelineProblems) {
        List<Check> checks = new ArrayList<>();
        components.forEach((name, r) -> {
            Recipe recipe = r.recipe();
            if (recipe != null && r.configOk()) {
                checks.add(new Check(name, recipe, r, incomplete));
            }
        });
        ConfigValueCheck values = new ConfigValueCheck();
        checks.forEach(check -> check.run(values));
        for (Check check : checks) {
            for (Reported p : check.reported) {
                (p.pipeline() ? pipelineProblems : elementProblems).problem(p.at(), p.message(), p.hint());
            }
        }
    }

    private record Reported(
            Position at, String message, @Nullable String hint, boolean pipeline) {}

    /** What a recipe's check sees of one component; collects what it reports. */
    private static final class Check implements RecipeCheck {
        private final String name;
        private final Recipe recipe;
        private final BlueprintValidator.Resolved r;
        private final Set<String> incomplete;
        private final List<Reported> reported = new ArrayList<>(0);
        private boolean readPorts;

        Check(String name, Recipe recipe, BlueprintValidator.Resolved r, Set<String> incomplete) {
            this.name = name;
            this.recipe = recipe;
            this.r = r;
            this.incomplete = incomplete;
        }

        void run(ConfigValueCheck values) {
            try {
                values.run(recipe, this);
                recipe.check(this);
            } catch (RuntimeException e) {
                reported.add(new Reported(
                        r.spec().position("recipe"),
                        "recipe '" + recipe.name() + "' failed to check component '" + name + "': " + e,
                        null,
                        false));
            }
        }

        @Override
        public String componentName() {
            return name;
        }

        @Override
        public Position position(String field) {
            return r.spec().position(field);
        }

        @Override
        public Map<String, ConfigEntry> entries() {
            return r.spec().config();
        }

        @Override
        public RecipeConfig config() {
            return r.config();
        }

        @Override
        public Set<String> inputPorts() {
            readPorts = true;
            return Collections.unmodifiableSet(r.inputs());
        }

        @Override
        public Set<String> outputPorts() {
            readPorts = true;
            return Collections.unmodifiableSet(r.outputs());
        }

        @Override
        public void problem(Position at, String message, @Nullable String hint) {
            if (!readPorts || !incomplete.contains(name)) {
                reported.add(new Reported(at, message, hint, readPorts));
            }
        }
    }
}
