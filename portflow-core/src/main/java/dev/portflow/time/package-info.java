/**
 * The time source every measurement reads ({@link dev.portflow.time.Ticker}) and its clocks. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.time;

import org.jspecify.annotations.NullMarked;
