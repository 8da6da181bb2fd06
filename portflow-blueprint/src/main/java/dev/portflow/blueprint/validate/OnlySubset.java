package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --only} asks of a blueprint: it names components that exist, and the connections that
 * cross from them to the components of other processes go over Kafka (not in memory, and not on disk:
 * a disk connection's log lives in the data directory of one process, which runs both its ends).
 */
final class OnlySubset {

    private OnlySubset() {}

    /**
     * With {@code --only}: every name is a component, and a connection between a component that runs
     * here and one that runs in another process goes over Kafka (a disk connection, whose log is in
     * this process's data directory, has both ends here or neither).
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
            String elsewhere = sends ? e.toEnd().component() : e.fromEnd().component();
            if (sends != receives && c.isDisk()) {
                state.problem(
                        c.position("transport"),
                        "connection " + c.describe() + " crosses --only: " + elsewhere
                                + " runs in another process, but a disk connection's log lives in the data directory"
                                + " of this process, so both its ends must run in the same process",
                        "use transport: kafka to span processes, or add " + elsewhere + " to --only");
            } else if (sends != receives && !c.isKafka()) {
                state.problem(
                        c.position(),
                        "connection " + c.describe() + " crosses --only: " + elsewhere
                                + " runs in another process, so the connection needs transport: kafka",
                        "add transport: kafka to the connection, or add " + elsewhere + " to --only");
            }
        }
    }
}
