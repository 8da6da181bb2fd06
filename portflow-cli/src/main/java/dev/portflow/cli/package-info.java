/**
 * The {@code portflow} command line ({@link dev.portflow.cli.PortflowCli}): {@code run}, {@code validate} and
 * {@code graph} a blueprint, with its logging, shutdown on signals, the stop summary and the file of messages a
 * timed-out drain left behind. Null-marked: a type without {@code @Nullable} never holds null (NullAway checks it).
 */
@NullMarked
package dev.portflow.cli;

import org.jspecify.annotations.NullMarked;
