package dev.portflow;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message that knows when the event it describes happened. Ports measure its age from
 * {@link #eventTime()}; messages without an event time are aged from when they entered the pipeline.
 *
 * <pre>{@code
 * record Reading(String sensor, double value, Instant eventTime) implements EventTimed {}
 * }</pre>
 */
public interface EventTimed {

    /** When the event happened (wall clock). {@code null} means unknown: the ingest time is used. */
    @Nullable
    Instant eventTime();
}
