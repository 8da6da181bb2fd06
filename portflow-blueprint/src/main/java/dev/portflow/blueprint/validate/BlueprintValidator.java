package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.runtime.ComponentKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * The checks that need the whole blueprint: names, references, recipes and classes, configuration,
 * ports, schemas across connections, cycles. Collects every problem; never stops at the first. Each
 * concern is a class of this package; this one runs them in order, on one {@link ValidationState}.
 *
 * <p>Problems come in two tiers, causes first: those of single elements (a name, a reference, a
 * value, an option, a connection), then those of the pipeline as a whole (port counts, unconnected
 * components, recipe checks that look at the connected ports such as routes without a connection,
 * cycles), which may follow from the former. A component named by a broken connection, or the likely target of a
 * misspelt name, is left out of the whole-pipeline rules that count its connections: one typo gives
 * one problem. Nothing here recurses on the size of the blueprint.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint} (the loader validates
 * with it) and {@code dev.portflow.blueprint.assemble} (which builds from its {@link Result}).
 */
public final class BlueprintValidator {

    /** A component as validation understood it; what assembly builds from. */
    public record Resolved(
            ComponentSpec spec,
            @Nullable Recipe recipe,
            @Nullable Class<?> userClass,
            @Nullable ComponentKind kind,
            RecipeConfig config,
            boolean configOk,
            Set<String> inputs,
            Set<String> outputs) {

        public String who() {
            String type =
                    recipe != null ? recipe.name() : kind != null ? kind.name().toLowerCase(Locale.ROOT) : "component";
            return type + " '" + spec.name() + "'";
        }

        /** Its ports' rule, or {@code null} when its kind is not known (its recipe or class has a problem). */
        @Nullable
        PortRule rule() {
            return recipe != null ? recipe.ports() : kind != null ? PortRule.forKind(kind) : null;
        }
    }

    /**
     * A connection whose two ends check out.
     *
     * @param spec    the connection as written
     * @param fromEnd its sending end ({@code spec.from()})
     * @param toEnd   its receiving end ({@code spec.to()})
     * @param from    the sending component
     * @param to      the receiving component
     */
    public record Edge(ConnectionSpec spec, Endpoint fromEnd, Endpoint toEnd, Resolved from, Resolved to) {

        /** The Kafka topic of the connection in pipeline {@code pipeline}: see {@link ConnectionSpec#topicIn}. */
        public String topicIn(String pipeline) {
            String topic = spec.topic();
            return topic != null ? topic : ConnectionSpec.defaultTopic(pipeline, fromEnd);
        }
    }

    /**
     * The problems, and what was understood (complete only when there are no problems).
     *
     * @param elementProblems  problems of single elements, in file order
     * @param pipelineProblems problems of the pipeline as a whole (which may follow from the former), in file order
     */
    public record Result(
            List<Problem> elementProblems,
            List<Problem> pipelineProblems,
            Map<String, Resolved> components,
            List<Edge> edges) {

        /** Every problem, causes first: the elements', then the pipeline's. */
        public List<Problem> problems() {
            List<Problem> all = new ArrayList<>(elementProblems);
            all.addAll(pipelineProblems);
            return all;
        }
    }

    private BlueprintValidator() {}

    /** Validates {@code blueprint} with {@code recipes} (by name, sorted) and user classes from {@code loader}. */
    public static Result validate(Blueprint blueprint, SortedMap<String, Recipe> recipes, ClassLoader loader) {
        return validate(blueprint, recipes, loader, null);
    }

    /**
     * Validates {@code blueprint}; with {@code only} (component names; {@code null} or empty for all)
     * also that those components exist and that every connection between one of them and another
     * component goes over Kafka.
     */
    public static Result validate(
            Blueprint blueprint, SortedMap<String, Recipe> recipes, ClassLoader loader, @Nullable List<String> only) {
        List<String> subset = only == null || only.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(only));
        ValidationState state = new ValidationState(blueprint);
        Components components = new Components(state, recipes, loader);
        components.checkPipelineName();
        Schemas.check(state);
        DataDirectory.check(state);
        Map<ComponentSpec, Resolved> resolved = new LinkedHashMap<>();
        for (ComponentSpec c : blueprint.components()) {
            resolved.put(c, components.resolve(c));
        }
        Connections connections = new Connections(state);
        for (ConnectionSpec c : blueprint.connections()) {
            connections.check(c);
        }
        if (!blueprint.positions().containsKey("connections")
                && !blueprint.components().isEmpty()) {
            state.problem(
                    blueprint.position(),
                    "the blueprint has no connections",
                    "add connections: with entries like - {from: <component>.out_<name>, to: <component>.in_<name>}");
        } else {
            for (Resolved r : resolved.values()) {
                PortRule rule = r.rule();
                if (state.registered(r) && rule != null) {
                    PortRules.check(state, r, rule);
                }
            }
        }
        RecipeChecks.run(state.components, state.incomplete, state::problem, state::pipelineProblem);
        WorkerRules.check(resolved.values(), loader, state::problem);
        ApiPaths.check(state.components.values(), state::problem);
        SinkFiles.check(state.components.values(), state::problem);
        CycleCheck.check(state);
        RemotePorts.check(state);
        OnlySubset.check(state, subset);
        return state.result();
    }
}
