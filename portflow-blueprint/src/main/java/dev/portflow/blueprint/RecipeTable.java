package dev.portflow.blueprint;

import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.Recipe;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The recipe reference as a Markdown table, written from the recipes' own declarations (name,
 * description, kind, ports, config keys with type, default, bounds and description), so the docs
 * cannot drift from what validation accepts. {@code portflow-recipes/RECIPES.md} holds its output;
 * a test keeps the two the same.
 */
final class RecipeTable {

    private RecipeTable() {}

    /** One row per recipe, sorted by name. */
    static String markdown(RecipeRegistry recipes) {
        StringBuilder table = new StringBuilder();
        table.append("| recipe | what it does | kind | ports | config keys |\n");
        table.append("|---|---|---|---|---|\n");
        for (Recipe recipe : recipes.recipes()) {
            table.append("| `")
                    .append(recipe.name())
                    .append("` | ")
                    .append(cell(recipe.description()))
                    .append(recipe.singleWorker()
                            .map(why -> "; runs on one worker: " + cell(why))
                            .orElse(""))
                    .append(" | ")
                    .append(recipe.kind().name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(cell(recipe.ports().describe()))
                    .append(" | ")
                    .append(keys(recipe.configKeys()))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String keys(List<ConfigKey> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        return keys.stream().map(RecipeTable::key).collect(Collectors.joining("<br>"));
    }

    /** {@code `rate` (number, required, 0.001..1000000): messages per second}. */
    private static String key(ConfigKey key) {
        List<String> facts = new ArrayList<>();
        facts.add(type(key));
        if (key.required()) {
            facts.add("**required**");
        } else if (key.defaultValue() != null) {
            facts.add("default `" + cell(String.valueOf(key.defaultValue())) + "`");
        }
        if (key.min() != null || key.max() != null) {
            facts.add(
                    (key.min() == null ? "" : number(key.min())) + ".." + (key.max() == null ? "" : number(key.max())));
        }
        if (!key.allowedValues().isEmpty()) {
            facts.add("one of " + String.join(", ", key.allowedValues()));
        }
        return "`" + key.name() + "` (" + String.join(", ", facts) + "): " + cell(key.description());
    }

    private static String type(ConfigKey key) {
        if (!key.elementKeys().isEmpty()) {
            return key.type().yamlName() + " of {"
                    + key.elementKeys().stream()
                            .map(k -> k.name() + ": " + k.type().yamlName())
                            .collect(Collectors.joining(", "))
                    + "}";
        }
        ConfigType element = key.elementType();
        return element == null ? key.type().yamlName() : key.type().yamlName() + " of " + element.yamlName();
    }

    /** 1000000.0 as 1000000, 0.001 as 0.001. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Text as it reads in a table cell: no column breaks, no emphasis from {@code out_*}, no HTML tags. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;").replace("\n", " ");
    }
}
