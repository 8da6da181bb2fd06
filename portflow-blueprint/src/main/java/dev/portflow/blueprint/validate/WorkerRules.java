package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.component.SingleWorker;
import dev.portflow.runtime.ComponentKind;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a component's {@code workers:}, {@code ordering:} and {@code key:} may say, given what the
 * component is (the shape of {@code workers:} is {@code WorkersSyntax}'s; assembly puts them into the
 * pipeline):
 * <ul>
 *   <li>a source has no workers and no ordering: it runs once and receives no messages;</li>
 *   <li>a component that must not be called concurrently runs on one worker: a recipe that says so
 *       ({@link Recipe#singleWorker()}), a class annotated {@link SingleWorker}; the reason is in the
 *       problem;</li>
 *   <li>{@code ordering} is {@code none} (the default) or {@code key}; {@code ordering: key} needs
 *       {@code key:}, and {@code key:} needs {@code ordering: key} (a key alone is more likely a
 *       misplaced config key, such as the store's, than a wish for order);</li>
 *   <li>the key is a field name or a CEL expression that reads the message ({@link KeyExpressions}).</li>
 * </ul>
 */
final class WorkerRules {

    static final List<String> ORDERINGS = List.of(ComponentSpec.ORDERING_NONE, ComponentSpec.ORDERING_KEY);

    private WorkerRules() {}

    /** Reports the problems of every component's workers, ordering and key. */
    static void check(
            Collection<BlueprintValidator.Resolved> components, ClassLoader loader, ProblemReporter reporter) {
        for (BlueprintValidator.Resolved r : components) {
            workers(r, reporter);
            ordering(r, loader, reporter);
        }
    }

    private static void workers(BlueprintValidator.Resolved r, ProblemReporter reporter) {
        ComponentSpec c = r.spec();
        if (c.workers() == null || r.kind() == null) {
            return;
        }
        if (r.kind() == ComponentKind.SOURCE) {
            reporter.problem(
                    c.position("workers"),
                    r.who() + " is a source: it cannot have workers",
                    "a source runs once and emits at its own pace; give workers to the components it feeds");
            return;
        }
        String reason = singleWorkerReason(r);
        if (c.workers().max() > 1 && reason != null) {
            reporter.problem(
                    c.position("workers"),
                    r.who() + " must run on one worker: " + reason,
                    (r.userClass() != null ? "class " + r.userClass().getName() + " is annotated @SingleWorker; " : "")
                            + "remove workers: (or set workers: 1)");
        }
    }

    /** Why the component must run on one worker, or {@code null} when it may run on several. */
    private static @Nullable String singleWorkerReason(BlueprintValidator.Resolved r) {
        if (r.recipe() != null) {
            return r.recipe().singleWorker().orElse(null);
        }
        SingleWorker single = r.userClass() == null ? null : r.userClass().getAnnotation(SingleWorker.class);
        return single == null ? null : single.value();
    }

    private static void ordering(BlueprintValidator.Resolved r, ClassLoader loader, ProblemReporter reporter) {
        ComponentSpec c = r.spec();
        String ordering = c.ordering();
        YamlNode.Scalar key = c.key();
        // A value given but not understood (a list, say) was reported when parsing; what follows from it is not.
        boolean orderingGiven = c.positions().containsKey("ordering");
        boolean keyGiven = c.positions().containsKey("key");
        if (ordering != null && !ORDERINGS.contains(ordering)) {
            reporter.problem(
                    c.position("ordering"),
                    "unknown ordering '" + ordering + "'",
                    Suggestions.didYouMean(ordering, ORDERINGS, "one of"));
            return; // whether key belongs is not known
        }
        if ((orderingGiven && ordering == null) || (keyGiven && key == null)) {
            return;
        }
        if (r.kind() == ComponentKind.SOURCE && (c.orderedByKey() || key != null)) {
            reporter.problem(
                    c.position(c.orderedByKey() ? "ordering" : "key"),
                    r.who() + " is a source: it receives no messages, so it has no ordering",
                    "remove ordering: and key:");
        } else if (c.orderedByKey() && key == null) {
            reporter.problem(
                    c.position("ordering"),
                    "ordering: key needs key:, the field or CEL expression" + " messages are ordered by",
                    "e.g. key: customer_id, or key: \"customer.id\"");
        } else if (key != null && !c.orderedByKey()) {
            reporter.problem(
                    key.position(),
                    "key only applies to ordering: key",
                    "add ordering: key to handle the messages with the same key one at a time, in order; or remove key"
                            + (isStore(r) ? " (the store's primary key field goes in config: {key: ...})" : ""));
        } else if (key != null) {
            keyExpression(r, key, loader, reporter);
        }
    }

    /** The key's CEL: a compile error at CEL's column in it, another complaint at the value. */
    private static void keyExpression(
            BlueprintValidator.Resolved r, YamlNode.Scalar key, ClassLoader loader, ProblemReporter reporter) {
        String complaint = KeyExpressions.complaint(key.text(), loader);
        if (complaint == null) {
            return;
        }
        String who = r.who() + ": key \"" + key.text() + "\"";
        ConfigExpressions.CelDiagnostic cel = ConfigExpressions.celDiagnostic(complaint, key);
        if (complaint.contains("is not a valid CEL expression") && cel != null) {
            reporter.problem(
                    cel.at(),
                    who + " is not a valid CEL expression: " + cel.message(),
                    "a field name (customer_id) or a CEL expression over the message (customer.id)");
        } else {
            String first = complaint.lines().findFirst().orElse(complaint);
            reporter.problem(key.position(), r.who() + ": " + first.replaceFirst("^'key'", "key"), null);
        }
    }

    /** Whether a component is the {@code store} recipe, whose config has a {@code key} of its own. */
    private static boolean isStore(BlueprintValidator.Resolved r) {
        return r.recipe() != null && r.recipe().name().equals("store");
    }
}
