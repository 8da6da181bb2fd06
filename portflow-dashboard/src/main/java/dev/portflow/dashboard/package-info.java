/**
 * The live dashboard ({@link dev.portflow.dashboard.Dashboard}): a sampler reading the pipeline once per interval,
 * a bounded history per series, the bottleneck finder and the page fed over Server-Sent Events. Null-marked: a type
 * without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.dashboard;

import org.jspecify.annotations.NullMarked;
