/**
 * Kafka-bound connections: a connection whose buffer is a Kafka topic, measured with the same port
 * metrics as an in-memory connection.
 */
package dev.portflow.kafka;
