/**
 * Disk-bound connections: a connection whose buffer is an fsynced log on local disk, measured with
 * the same port metrics as an in-memory connection. Null-marked: a type without {@code @Nullable}
 * never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.disk;

import org.jspecify.annotations.NullMarked;
