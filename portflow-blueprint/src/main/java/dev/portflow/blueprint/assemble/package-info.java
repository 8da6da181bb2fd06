/**
 * The steps that build a validated blueprint into a pipeline and its server: make the components, connect
 * them in memory, set up the ends of Kafka connections (with their codecs) and of disk connections (in the
 * process's data directory), make the server. The blueprint package's assembler runs them in that order.
 * Internal: uses the model and what validation understood.
 */
@NullMarked
package dev.portflow.blueprint.assemble;

import org.jspecify.annotations.NullMarked;
