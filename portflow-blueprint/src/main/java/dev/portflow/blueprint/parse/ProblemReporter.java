package dev.portflow.blueprint.parse;

import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import org.jspecify.annotations.Nullable;

/**
 * Where the checks of a blueprint send the problems they find, each at its position with an
 * optional hint (made into a {@link Problem} of the blueprint's file).
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.validate}, whose checks
 * report through it too.
 */
@FunctionalInterface
public interface ProblemReporter {
    void problem(Position at, String message, @Nullable String hint);
}
