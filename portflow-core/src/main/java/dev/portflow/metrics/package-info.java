/**
 * What ports measure and how it is exposed: the hot-path {@link dev.portflow.metrics.LatencyHistogram}, the
 * per-port {@link dev.portflow.internal.PortMeasurements}, their snapshots ({@link dev.portflow.metrics.PortMetrics})
 * and their Micrometer and Prometheus meters. Null-marked: a type without {@code @Nullable} never holds null
 * (NullAway checks it).
 */
@NullMarked
package dev.portflow.metrics;

import org.jspecify.annotations.NullMarked;
