/**
 * The built-in recipes ({@code filter}, {@code map}, {@code router}, {@code generator}, {@code jsonl_sink},
 * {@code store}, ...): each one's {@link dev.portflow.blueprint.spi.Recipe} declaration, its typed configuration
 * record and its component, with the CEL expressions, JSON values and message keys they share. Null-marked: a type
 * without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.recipes;

import org.jspecify.annotations.NullMarked;
