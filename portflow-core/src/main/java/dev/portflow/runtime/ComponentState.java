package dev.portflow.runtime;

import java.util.Locale;

/**
 * Where a component's time goes: the {@code state} tag of {@code portflow.component.time}. A
 * component is in exactly one of them at any moment, so its three totals add up to the time since it
 * started.
 */
public enum ComponentState {
    /** Handling a message. */
    BUSY,
    /** Waiting for input. */
    IDLE,
    /** Waiting for room in a full downstream buffer. */
    BACKPRESSURED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value: {@code busy}, {@code idle} or {@code backpressured}. */
    public String tag() {
        return tag;
    }
}
