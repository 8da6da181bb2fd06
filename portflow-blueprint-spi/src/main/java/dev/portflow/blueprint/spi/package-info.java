/**
 * What a recipe is ({@link dev.portflow.blueprint.spi.Recipe}): its name, ports, config keys and their types, checks
 * and factory, as blueprint validation, assembly and the recipe docs read it, with the typed configuration and the
 * positioned YAML values a recipe sees. Null-marked: a type without {@code @Nullable} never holds null (NullAway
 * checks it).
 */
@NullMarked
package dev.portflow.blueprint.spi;

import org.jspecify.annotations.NullMarked;
