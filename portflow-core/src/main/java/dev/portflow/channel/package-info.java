/**
 * The lock-free bounded ring buffers behind in-process connections
 * ({@link dev.portflow.channel.BoundedChannel}): many producers, one receiver, with the producers' wait for room and
 * the receiver's wake-up. Internal to core: only the ports and their metrics use it. Null-marked: a type without
 * {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.channel;

import org.jspecify.annotations.NullMarked;
