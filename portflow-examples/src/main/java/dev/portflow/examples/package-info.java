/**
 * Runnable examples: a Java demo pipeline ({@link dev.portflow.examples.DemoPipeline}) whose metrics show a
 * bottleneck, and the README's example ({@link dev.portflow.examples.ReadmeExample}), kept compiling and tested.
 * Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.examples;

import org.jspecify.annotations.NullMarked;
