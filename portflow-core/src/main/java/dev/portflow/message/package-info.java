/**
 * Message types shipped with Portflow. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.message;

import org.jspecify.annotations.NullMarked;
