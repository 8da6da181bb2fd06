package dev.portflow.blueprint.spi;

import java.util.Locale;

/** The type of a recipe's config key, as checked by validation. */
public enum ConfigType {
    /** Any scalar, taken as its text. */
    STRING,
    /** A whole number (YAML integer, not quoted). */
    INTEGER,
    /** An integer or a decimal number. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A whole, non-negative number of milliseconds; read with {@link RecipeConfig#getDuration}. */
    DURATION_MS,
    /** A (CEL) expression, as a non-empty string; compiled by the recipe. */
    EXPRESSION,
    /** A mapping. */
    MAP,
    /** A list. */
    LIST,
    /** A file path, non-empty; relative paths are resolved against the blueprint's directory. */
    PATH;

    /** The name used in docs and messages: {@code duration_ms}, {@code string}, ... */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "an integer", "a string", ... */
    public String withArticle() {
        return switch (this) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case DURATION_MS -> "a whole number of milliseconds";
            case EXPRESSION -> "an expression (a string)";
            case MAP -> "a mapping";
            case LIST -> "a list";
            case PATH -> "a path (a string)";
        };
    }
}
