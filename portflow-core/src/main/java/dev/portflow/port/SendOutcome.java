package dev.portflow.port;

/**
 * What happened to a sent message. Only {@link #isAccepted() accepted} outcomes mean the message is
 * in the pipeline; a caller that acknowledges anything else to its client would lie.
 *
 * <p>For an output port that feeds several connections, the outcome is the worst over them, in the
 * order of this enum: one connection dropping the message makes the send {@link #DROPPED}.
 */
public enum SendOutcome {
    /** The message is buffered. */
    ACCEPTED,
    /** The message is buffered; to make room the oldest buffered message was evicted ({@code DROP_OLDEST}). */
    ACCEPTED_AFTER_EVICTING,
    /** A full {@code DROP_NEWEST} buffer refused the message. */
    DROPPED,
    /** A {@code BLOCK_WITH_TIMEOUT} send found no room in time. */
    TIMED_OUT,
    /** The connection is closed (the pipeline is draining or stopped). */
    CLOSED;

    /** Whether the message was taken into the pipeline. */
    public boolean isAccepted() {
        return this == ACCEPTED || this == ACCEPTED_AFTER_EVICTING;
    }

    @SuppressWarnings("EnumOrdinal") // the constants are declared from best to worst outcome
    SendOutcome worst(SendOutcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
