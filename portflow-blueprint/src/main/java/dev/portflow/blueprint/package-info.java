/**
 * YAML blueprints, the API: load and validate ({@link dev.portflow.blueprint.Blueprints},
 * {@link dev.portflow.blueprint.BlueprintLoader}, {@link dev.portflow.blueprint.Validation}), assemble
 * ({@link dev.portflow.blueprint.Assembly}, {@link dev.portflow.blueprint.AssemblyOptions}), the recipes a
 * blueprint may name ({@link dev.portflow.blueprint.RecipeRegistry}) and Mermaid graphs. The parsed blueprint
 * and its problems are in {@code dev.portflow.blueprint.model}.
 *
 * <p>The work is done in subpackages, each using only those before it: {@code model} (the parsed blueprint),
 * {@code parse} (YAML text to the model), {@code validate} (every problem of a model), {@code assemble} (a
 * validated model to a pipeline). This package runs them; {@code parse}, {@code validate} and {@code assemble}
 * are internal, though some of their types are public for the packages above them.
 */
@NullMarked
package dev.portflow.blueprint;

import org.jspecify.annotations.NullMarked;
