/**
 * Typed input and output ports and the connections between them ({@link dev.portflow.port.Ports}): overflow
 * policies, send outcomes, validation, error envelopes and links to buffers outside the process. Null-marked: a type
 * without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.port;

import org.jspecify.annotations.NullMarked;
