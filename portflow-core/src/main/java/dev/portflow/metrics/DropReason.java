package dev.portflow.metrics;

import java.util.Locale;

/** Why a message was dropped: the {@code reason} tag of {@code portflow.port.messages.dropped}. */
public enum DropReason {
    /** A full {@code DROP_NEWEST} buffer refused the new message (counted on the output port). */
    DROP_NEWEST,
    /** A full {@code DROP_OLDEST} buffer evicted its oldest message (counted on the output port). */
    DROP_OLDEST,
    /** A {@code BLOCK_WITH_TIMEOUT} send gave up (counted on the output port). */
    TIMEOUT,
    /** A full {@code FAIL} buffer refused the message and raised an overflow error (output port). */
    FAIL,
    /** A transformer returned nothing for the message (counted on the input port). */
    FILTERED,
    /** The message failed its port's schema (counted on the input port). */
    INVALID,
    /** The message was sent to a closed connection (counted on the output port). */
    CLOSED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value, e.g. {@code drop_newest}. */
    public String tag() {
        return tag;
    }

    /** Whether a port of {@code direction} counts this reason (see each constant). */
    public boolean countedOn(PortCounters.Direction direction) {
        return switch (this) {
            case FILTERED, INVALID -> direction == PortCounters.Direction.INPUT;
            case DROP_NEWEST, DROP_OLDEST, TIMEOUT, FAIL, CLOSED -> direction == PortCounters.Direction.OUTPUT;
        };
    }
}
