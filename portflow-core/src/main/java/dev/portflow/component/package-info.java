/**
 * The component API: sources, transformers, routers, mergers and sinks. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.component;

import org.jspecify.annotations.NullMarked;
