package dev.portflow.examples.recipe;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.ComponentKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user recipe, whole: {@code recipe: upper_case} upper-cases the text of chosen fields. Adding a
 * recipe is this one class plus its line in
 * {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}; put the jar in a directory and run
 * {@code portflow run --lib <directory> blueprint.yaml} (or {@code validate}, {@code graph}).
 * Validation then checks its config like a built-in's (a missing {@code fields}, a number where a
 * list belongs, a misspelt key), and its hints list it among the known recipes.
 *
 * <pre>{@code
 * - {name: shout, recipe: upper_case, config: {fields: [name, city]}}
 * }</pre>
 */
public final class UpperCaseRecipe extends AbstractRecipe {

    public UpperCaseRecipe() {
        super(
                "upper_case",
                ComponentKind.TRANSFORMER,
                "upper-cases the text of the named top-level fields; other fields pass unchanged",
                PortRule.oneInOneOut(),
                List.of(ConfigKey.required("fields", ConfigType.LIST, "the fields to upper-case, e.g. [name, city]")
                        .elements(ConfigType.STRING)
                        .min(1)),
                Transformer.class);
    }

    @Override
    public Component create(RecipeContext context) {
        List<String> fields =
                context.config().getList("fields").stream().map(String::valueOf).toList();
        return Transformer.map((JsonMessage message) -> message.withBody(upperCased(message, fields)));
    }

    private static @Nullable Object upperCased(JsonMessage message, List<String> fields) {
        if (!(message.body() instanceof Map<?, ?> body)) {
            return message.body(); // not an object: nothing to upper-case
        }
        Map<Object, Object> out = new LinkedHashMap<>(body);
        for (String field : fields) {
            if (out.get(field) instanceof String text) {
                out.put(field, text.toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }
}
