/**
 * JMH benchmarks of Portflow's channels, pipelines, ingress and Kafka edges (never run by {@code ./mvnw verify}).
 */
@NullMarked
package dev.portflow.bench;

import org.jspecify.annotations.NullMarked;
