/**
 * The live measurements behind every port ({@link dev.portflow.internal.PortMeasurements}), their
 * Micrometer binding and the runtime's access to them. Not exported by the module: no other module
 * may use it (see docs/api.md). Null-marked: a type without {@code @Nullable} never holds null
 * (NullAway checks it).
 */
@NullMarked
package dev.portflow.internal;

import org.jspecify.annotations.NullMarked;
