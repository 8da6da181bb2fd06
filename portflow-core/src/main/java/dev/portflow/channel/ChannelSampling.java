package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Which messages a timed channel times exactly: state written by producers only at timed positions
 * (about one message in {@code S}), after {@code tail}'s padding (HotSpot puts the int {@code
 * sampleMask} in the object header's spare 4 bytes), away from the receiver's lines, so the
 * producers' every-message reads of it stay cache hits. Then the receiving thread's per-message
 * scratch, padded off the lines producers read on every offer. See {@code docs/metrics-fast-path.md}
 * and {@code ChannelLayoutTest}, which checks the layout.
 */
abstract class ChannelSampling extends ChannelTail {

    private static final VarHandle MASK;
    private static final VarHandle LAST_AT;
    private static final VarHandle LAST_POSITION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MASK = lookup.findVarHandle(ChannelSampling.class, "sampleMask", int.class);
            LAST_AT = lookup.findVarHandle(ChannelSampling.class, "lastSampleAt", long.class);
            LAST_POSITION = lookup.findVarHandle(ChannelSampling.class, "lastSamplePosition", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Timing every message costs < 0.3 % of the time between messages when they are this far apart. */
    static final long QUIET_GAP_NANOS = 10_000; // 100k messages/s

    static final int MAX_SAMPLE_SPACING = 64;

    // Positions p with (p & sampleMask) == 0 are timed; 0 (every message) until the channel is busy.
    // Racy by design: producers update the three from whichever timed position they claimed, so a
    // pair may mix two samples. Any value only changes how many messages are timed, never whether a
    // slot says truthfully that it was (the slot's own stamp tells the receiver).
    @SuppressWarnings("unused")
    private int sampleMask;

    @SuppressWarnings("unused")
    private long lastSampleAt = Long.MIN_VALUE;

    @SuppressWarnings("unused")
    private long lastSamplePosition;

    long t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15;

    /**
     * Whether the message claiming position {@code position} is timed exactly: its ring position is
     * a sample position, or the coarse clock has moved past {@code lastSample}, the last exact
     * reading (so a stretch of untimed messages never spans more than about two coarse-clock periods).
     */
    final boolean isSamplePosition(long position, long coarseNow, long lastSample) {
        return (position & (int) MASK.getOpaque(this)) == 0 || coarseNow - lastSample > 0;
    }

    /** The exact reading of the last timed position: a reading from the past, so a lower bound of now. */
    final long lastSampleAt() {
        return (long) LAST_AT.getOpaque(this);
    }

    /**
     * A producer timed position {@code position} at {@code now}: re-derives the spacing from the rate
     * since the previous timed position. Below 100k messages/s every message is timed; above, one in
     * {@code S} (a power of two up to 64) so that timed messages stay about 10 µs apart.
     */
    final void sampled(long position, long now) {
        long previousAt = (long) LAST_AT.getOpaque(this);
        long previousPosition = (long) LAST_POSITION.getOpaque(this);
        LAST_AT.setOpaque(this, now);
        LAST_POSITION.setOpaque(this, position);
        long messages = position - previousPosition;
        long elapsed = now - previousAt;
        if (previousAt == Long.MIN_VALUE || messages <= 0 || elapsed <= 0) {
            return;
        }
        long gap = elapsed / messages;
        int spacing = gap >= QUIET_GAP_NANOS
                ? 1
                : (int) Math.min(MAX_SAMPLE_SPACING, Long.highestOneBit(QUIET_GAP_NANOS / Math.max(1, gap)));
        MASK.setOpaque(this, spacing - 1);
    }

    /** The current spacing: one message in this many is timed (for tests and diagnostics). */
    public final int sampleSpacing() {
        return (int) MASK.getOpaque(this) + 1;
    }
}

/**
 * The receiving thread's stamps and trace context of the message it polled last, and its count of
 * received messages (several consumers only): written per message, padded off the producers' lines
 * on both sides (ChannelSampling's padding before, ChannelPad3's after). The padding after must be a
 * class of its own: HotSpot lays out a class's reference fields after its longs, so padding declared
 * here would come before {@code polledContext}, which would then share a line with BoundedChannel's
 * fields that every offer reads (a traced pipeline ran at half the rate of an untraced one until this
 * was split: docs/channel-design.md).
 */
abstract class ChannelReceiverScratch extends ChannelSampling {
    private static final VarHandle RECEIVED;

    static {
        try {
            RECEIVED = MethodHandles.lookup()
                    .findVarHandle(ChannelReceiverScratch.class, "receivedByReceiver", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // With several consumers head also counts evictions: the receiver's own count. Written by the
    // receiver only (release, after the head CAS it counts), read by observers (acquire/opaque).
    long receivedByReceiver;

    long polledEnqueuedAt;
    long polledOriginAt;

    @Nullable
    Object polledContext;

    final void setReceivedRelease(long value) {
        RECEIVED.setRelease(this, value);
    }

    final long receivedAcquire() {
        return (long) RECEIVED.getAcquire(this);
    }

    final long receivedOpaque() {
        return (long) RECEIVED.getOpaque(this);
    }
}

abstract class ChannelPad3 extends ChannelReceiverScratch {
    int u; // fills the 4 bytes after polledContext, where the JVM would otherwise place a subclass int
    long u00, u01, u02, u03, u04, u05, u06, u07, u08, u09, u10, u11, u12, u13, u14, u15;
}
