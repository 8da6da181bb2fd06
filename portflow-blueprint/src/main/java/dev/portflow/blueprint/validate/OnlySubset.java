package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --only} asks of a blueprint: it names components that exist, and the connections that
 * cross from them to the components of other processes go over Kafka.
 */
final class OnlySubset {

    private OnlySubset() {}

    /**
     * With {@code --only}: every name is a component, and a connection between a component that runs
     * here and one that runs in another process goes over Kafka.
     *
     * @param only the components {@code --only} names, without duplicates; {@code null} for all
     */
    static void check(ValidationState state, @Nullable List<String> only) {
        if (only == null) {
            return;
        }
        Set<String> here = Set.copyOf(only);
        Set<String> reported = new java.util.HashSet<>();
        for (String name : only) {
            if (!state.declared.containsKey(name) && reported.add(name)) {
                state.problem(
                        state.blueprint.position("components"),
                        "--only names unknown component '" + name + "'",
                        state.declared.isEmpty()
                                ? "declare it under components:"
                                : Suggestions.didYouMean(name, state.declared.keySet(), "components"));
            }
        }
        if (!reported.isEmpty()) {
            return; // which connections cross is not known until the names are right
        }
        for (Edge e : state.edges) {
            ConnectionSpec c = e.spec();
            boolean sends = here.contains(e.fromEnd().component());
            boolean receives = here.contains(e.toEnd().component());
            if (sends != receives && !c.isKafka()) {
                String elsewhere = sends ? e.toEnd().component() : e.fromEnd().component();
                state.problem(
                        c.position(),
                        "connection " + c.describe() + " crosses --only: " + elsewhere
                                + " runs in another process, so the connection needs transport: kafka",
                        "add transport: kafka to the connection, or add " + elsewhere + " to --only");
            }
        }
    }
}
