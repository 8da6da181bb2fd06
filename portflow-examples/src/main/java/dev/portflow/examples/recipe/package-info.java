/**
 * A user recipe, whole ({@link dev.portflow.examples.recipe.UpperCaseRecipe}): one class plus its line in
 * {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}, as a jar given to {@code portflow run --lib} provides
 * it. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.examples.recipe;

import org.jspecify.annotations.NullMarked;
