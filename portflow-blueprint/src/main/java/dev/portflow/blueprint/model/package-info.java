/**
 * The parsed blueprint: an immutable model of one YAML file with a position on every element
 * ({@link dev.portflow.blueprint.model.Blueprint} and its parts), and the
 * {@link dev.portflow.blueprint.model.Problem}s found in it. Uses nothing else of this module.
 */
@NullMarked
package dev.portflow.blueprint.model;

import org.jspecify.annotations.NullMarked;
