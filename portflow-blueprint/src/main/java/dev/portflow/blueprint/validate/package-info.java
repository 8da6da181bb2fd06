/**
 * Every problem of a parsed blueprint, one class per concern, run in order by
 * {@link dev.portflow.blueprint.validate.BlueprintValidator}: names and components, declared ports,
 * schemas, connections and their options, port rules, recipe checks, workers, API paths, sink files,
 * cycles, Kafka ports, {@code --only}. What it understood (each component's recipe or class, the
 * connections whose ends check out) is what assembly builds from. Internal: uses the model and the
 * parser's helpers.
 */
@NullMarked
package dev.portflow.blueprint.validate;

import org.jspecify.annotations.NullMarked;
