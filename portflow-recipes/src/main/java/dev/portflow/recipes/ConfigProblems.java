package dev.portflow.recipes;

import org.jspecify.annotations.Nullable;

/**
 * The messages of a recipe's configuration problems, naming the recipe, the key, what is accepted
 * and what was given. A blueprint's keys and types are checked before a recipe sees them (see each
 * recipe's declaration); these are the checks of values that only the implementation can make.
 */
final class ConfigProblems {

    private ConfigProblems() {}

    /** {@code <recipe>: '<key>' must be <expected>, was <value>}. */
    static IllegalArgumentException problem(String recipe, String key, String expected, @Nullable Object value) {
        return new IllegalArgumentException(recipe + ": '" + key + "' must be " + expected + ", was " + show(value));
    }

    /** {@code <recipe>: '<key>' is required: <what>}. */
    static IllegalArgumentException missing(String recipe, String key, String what) {
        return new IllegalArgumentException(recipe + ": '" + key + "' is required: " + what);
    }

    static String show(@Nullable Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(value);
    }
}
