package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The recipe tables of the docs say what the recipes declare. RECIPES.md holds
 * {@link RecipeTable}'s output between two markers; run this test with
 * {@code -Dportflow.writeRecipeTable=true} to rewrite it after changing a recipe.
 */
class RecipeTableTest {

    private static final Path RECIPES_MD = Path.of("..", "portflow-recipes", "RECIPES.md");
    private static final Path README = Path.of("..", "README.md");
    private static final String START =
            "<!-- recipe-table:start (written by RecipeTable; RecipeTableTest checks it) -->\n";
    private static final String END = "<!-- recipe-table:end -->";

    /** The recipes Portflow ships: those on the class path but this module's test fixtures. */
    private static RecipeRegistry shipped() {
        return RecipeRegistry.of(RecipeRegistry.builtIns().recipes().stream()
                .filter(r -> !r.getClass().getPackageName().equals("dev.portflow.blueprint.fixtures"))
                .toList());
    }

    @Test
    void recipesMdHoldsTheTableTheDeclarationsWrite() throws IOException {
        String doc = Files.readString(RECIPES_MD, StandardCharsets.UTF_8);
        int start = doc.indexOf(START);
        assertThat(start).as("RECIPES.md has the start marker").isNotNegative();
        assertThat(doc.indexOf(END)).as("RECIPES.md has the end marker").isGreaterThan(start);
        String table = RecipeTable.markdown(shipped());
        if (Boolean.getBoolean("portflow.writeRecipeTable")) {
            doc = doc.substring(0, start + START.length()) + table + doc.substring(doc.indexOf(END));
            Files.writeString(RECIPES_MD, doc, StandardCharsets.UTF_8);
        }
        assertThat(doc.substring(start + START.length(), doc.indexOf(END)))
                .as("RECIPES.md's recipe table; rewrite it with -Dportflow.writeRecipeTable=true")
                .isEqualTo(table);
    }

    @Test
    void theTableShowsEachKeyAsDeclared() {
        String table = RecipeTable.markdown(shipped());
        assertThat(table)
                .contains("| `api_endpoint` | HTTP ingress:")
                .contains("`rate` (number, **required**, 0.001..1000000): messages per second, e.g. 0.5 or 100")
                .contains("`routes` (list of {port: string, when: expression}, **required**, 1..)")
                .contains("`flush_ms` (duration_ms, default `100`, 0..3600000)")
                .contains(
                        "appends each message as one JSON line to a file; runs on one worker: it appends to one file |")
                .contains("| `merge` | merges several in_\\* ports into one out_\\* port, fairly | merger |");
    }

    /** The README's short table lists every recipe, each with its declared description. */
    @Test
    void readmeListsEveryRecipeWithItsDescription() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher row =
                Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([^|]+) \\| `\\{").matcher(readme);
        RecipeRegistry recipes = shipped();
        Set<String> listed = new java.util.TreeSet<>();
        while (row.find()) {
            listed.add(row.group(1));
            assertThat(row.group(2).strip())
                    .as("README's description of " + row.group(1))
                    .isEqualTo(RecipeTable.cell(
                            recipes.find(row.group(1)).orElseThrow().description()));
        }
        assertThat(listed).isEqualTo(recipes.names().stream().collect(Collectors.toSet()));
    }
}
