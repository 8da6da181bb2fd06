package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a blueprint, where it is, and what to do about it. Formatted like a
 * compiler's message, so editors and terminals can jump to it:
 * {@code orders.yaml:12:18: unknown recipe 'fliter' (hint: did you mean 'filter'?)}.
 *
 * @param file    the file as it was named to the loader
 * @param line    1-based line
 * @param column  1-based column
 * @param message what is wrong, one sentence
 * @param hint    how to fix it, or {@code null}
 */
public record Problem(
        String file,
        int line,
        int column,
        String message,
        @Nullable String hint) {

    /** File order: by line, then column. */
    public static final Comparator<Problem> BY_POSITION =
            Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (hint != null && hint.isBlank()) {
            hint = null;
        }
    }

    /** A problem at {@code position}. */
    public static Problem at(String file, @Nullable Position position, String message, @Nullable String hint) {
        Position p = position == null ? Position.START : position;
        return new Problem(file, p.line(), p.column(), message, hint);
    }

    public Position position() {
        return new Position(line, column);
    }

    /** {@code file:line:col: message (hint: ...)}. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + message + (hint == null ? "" : " (hint: " + hint + ")");
    }

    @Override
    public String toString() {
        return format();
    }
}
