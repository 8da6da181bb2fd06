/**
 * Portflow's root package: {@link dev.portflow.EventTimed}. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow;

import org.jspecify.annotations.NullMarked;
