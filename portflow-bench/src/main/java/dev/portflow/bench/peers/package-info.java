/**
 * The peer race: the same pipelines in Portflow, Project Reactor and Apache Pekko Streams, measured alike.
 */
@NullMarked
package dev.portflow.bench.peers;

import org.jspecify.annotations.NullMarked;
