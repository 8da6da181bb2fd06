/**
 * Kafka-bound connections: a connection whose buffer is a Kafka topic, measured with the same port
 * metrics as an in-memory connection. Null-marked: a type without {@code @Nullable} never holds null
 * (NullAway checks it).
 */
@NullMarked
package dev.portflow.kafka;

import org.jspecify.annotations.NullMarked;
