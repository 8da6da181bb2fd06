/**
 * The pipeline runtime: building a {@link dev.portflow.runtime.Pipeline} from components and connections, running
 * its components on virtual threads (workers, autoscaling, per-key order), and its lifecycle, health and drain.
 * Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.runtime;

import org.jspecify.annotations.NullMarked;
