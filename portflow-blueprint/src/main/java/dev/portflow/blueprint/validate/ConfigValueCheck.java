package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.RecipeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs each recipe's {@link Recipe#checkConfig} during one validation and reports what it refuses
 * at the value concerned: a bad expression at its own value (see {@link ConfigExpressions}), another
 * complaint at the config key it names, else at {@code config:}.
 *
 * <p>Answers are remembered per recipe and values: compiling CEL is the costly part of validation,
 * locating a bad expression asks again about each one alone, and pipelines repeat expressions.
 */
final class ConfigValueCheck {

    private record Question(Recipe recipe, Map<String, Object> values) {}

    /** What each recipe said of values it was shown (empty: it took them). */
    private final Map<Question, Optional<String>> complaints = new HashMap<>();

    /** Checks the values of {@code check}'s component, whose config passed the schema checks. */
    void run(Recipe recipe, RecipeCheck check) {
        if (!keysAsDeclared(recipe, check)) {
            return; // the unknown or missing key is reported already; do not report it twice
        }
        RecipeConfig config = check.config();
        String failure = complaint(recipe, config, config.asMap());
        if (failure != null) {
            ConfigExpressions.report(
                    check,
                    recipe.name(),
                    recipe.configKeys(),
                    values -> complaint(recipe, config, values),
                    failure,
                    positionOf(check, failure));
        }
    }

    /** The recipe's complaint about {@code values}, or {@code null} when it takes them. */
    private @Nullable String complaint(Recipe recipe, RecipeConfig config, Map<String, Object> values) {
        Question question = new Question(recipe, values);
        Optional<String> known = complaints.get(question);
        if (known == null) {
            known = Optional.ofNullable(ask(recipe, config.withValues(values)));
            complaints.put(question, known);
        }
        return known.orElse(null);
    }

    /**
     * An {@link IllegalArgumentException} is the recipe's complaint about the values; anything else
     * is a fault of the recipe, reported as such by {@link RecipeChecks}.
     */
    private static @Nullable String ask(Recipe recipe, RecipeConfig config) {
        try {
            recipe.checkConfig(config);
            return null;
        } catch (IllegalArgumentException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Whether the component's config has only declared keys and every required one. */
    private static boolean keysAsDeclared(Recipe recipe, RecipeCheck check) {
        Set<String> given = check.entries().keySet();
        for (String key : given) {
            if (recipe.configKeys().stream().noneMatch(k -> k.name().equals(key))) {
                return false;
            }
        }
        return recipe.configKeys().stream().filter(ConfigKey::required).allMatch(k -> given.contains(k.name()));
    }

    /** The value of the first config key the message names ({@code 'size'} or {@code condition:}), else {@code config:}. */
    private static Position positionOf(RecipeCheck check, String message) {
        for (Map.Entry<String, ConfigEntry> entry : check.entries().entrySet()) {
            String key = entry.getKey();
            if (message.contains("'" + key + "'") || message.contains(key + ":") || message.contains(" " + key + " ")) {
                return entry.getValue().valuePosition();
            }
        }
        return check.position("config");
    }
}
