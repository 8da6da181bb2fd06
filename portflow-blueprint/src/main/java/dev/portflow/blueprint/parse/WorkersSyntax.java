package dev.portflow.blueprint.parse;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.runtime.Workers;
import java.math.BigInteger;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A component's {@code workers:} value: {@code workers: 4} (a fixed number) or
 * {@code workers: {min: 1, max: 16}} (sized by the runtime; {@code min} defaults to 1, {@code max}
 * is required). Each problem is reported at the value at fault; a value with a problem gives no
 * {@link Workers}, so the rules that look at the workers (a source, a single-worker component) do
 * not add to it.
 */
final class WorkersSyntax {

    static final List<String> KEYS = List.of("min", "max");

    /** Why there is a most: said in the problem, since a larger number is a design question. */
    static final String MAX_HINT = Workers.MAX + " is the most: beyond it the threads calling one component mostly wait"
            + " on each other (its locks, connections, cores); make each call cheaper, batch the work, or split the"
            + " stream over several components";

    private WorkersSyntax() {}

    /** The workers {@code node} says, or {@code null} when it says none (no value) or has a problem. */
    static @Nullable Workers parse(YamlNode node, ProblemReporter reporter) {
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        if (node instanceof YamlNode.Mapping m) {
            return range(m, reporter);
        }
        Long n = count(node, "workers", reporter);
        return n == null ? null : Workers.fixed(n.intValue());
    }

    private static @Nullable Workers range(YamlNode.Mapping m, ProblemReporter reporter) {
        long min = 1;
        Long max = null;
        Position minAt = m.position();
        boolean ok = true;
        for (YamlNode.Entry e : m.entries()) {
            if (KEYS.contains(e.key()) && e.value() instanceof YamlNode.Scalar s && s.isNull()) {
                continue; // no value: min takes its default, a missing max is reported below
            }
            switch (e.key()) {
                case "min" -> {
                    minAt = e.value().position();
                    Long n = count(e.value(), "workers min", reporter);
                    if (n != null) {
                        min = n;
                    } else {
                        ok = false;
                    }
                }
                case "max" -> {
                    max = count(e.value(), "workers max", reporter);
                    ok &= max != null;
                }
                default -> {
                    String near = Suggestions.nearest(e.key(), KEYS);
                    reporter.problem(
                            e.keyPosition(),
                            "unknown workers key '" + e.key() + "'",
                            (near != null ? "did you mean '" + near + "'? " : "") + "workers has min, max");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return null;
        }
        if (max == null) {
            reporter.problem(
                    m.position(),
                    "workers needs max, the most workers the runtime may run",
                    "e.g. workers: {min: 1, max: 16}; or workers: 4 for a fixed number");
            return null;
        }
        if (min > max) {
            reporter.problem(
                    minAt,
                    "workers min (" + min + ") must not be above max (" + max + ")",
                    "e.g. workers: {min: " + max + ", max: " + min + "}");
            return null;
        }
        return Workers.between((int) min, max.intValue());
    }

    /** A number of workers, 1..{@link Workers#MAX}, or {@code null} with a problem. */
    private static @Nullable Long count(YamlNode node, String what, ProblemReporter reporter) {
        if (!(node instanceof YamlNode.Scalar s) || s.kind() != YamlNode.Scalar.Kind.INTEGER) {
            String hint = BlueprintParser.quotedNumberHint(node);
            reporter.problem(
                    node.position(),
                    what + " must be a whole number, found " + node.describe(),
                    hint != null
                            ? hint
                            : what.equals("workers")
                                    ? "workers: 4 for a fixed number, or workers: {min: 1, max: 16} for the runtime to choose"
                                    : "e.g. workers: {min: 1, max: 16}");
            return null;
        }
        Number n = s.integerValue();
        if (n instanceof BigInteger big ? big.signum() > 0 : n.longValue() > Workers.MAX) {
            reporter.problem(node.position(), what + " must be at most " + Workers.MAX + ", was " + s.text(), MAX_HINT);
            return null;
        }
        long value = n instanceof BigInteger ? Long.MIN_VALUE : n.longValue();
        if (value < 1) {
            reporter.problem(
                    node.position(),
                    what + " must be at least 1, was " + s.text()
                            + (value == 0 ? ": a component with no workers would never handle a message" : ""),
                    "leave workers out for one worker");
            return null;
        }
        return value;
    }
}
