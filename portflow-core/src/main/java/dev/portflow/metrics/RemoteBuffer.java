package dev.portflow.metrics;

import org.jspecify.annotations.Nullable;

/**
 * A connection's buffer kept outside this process, such as a Kafka topic read by a consumer group.
 * A port bound to one reports it as its buffer: {@code depth} is what waits there (e.g. the
 * consumer group's lag), {@code capacity} how much may wait before the sending side's overflow
 * policy applies, and its meters carry the tag {@code transport=}{@link #transport()} but keep
 * every name of an in-process port.
 *
 * <p>Implementations are read by metric scrapes and the dashboard at any time and from any thread;
 * {@link #depth()} must be cheap (return a value refreshed in the background, not ask a broker).
 */
public interface RemoteBuffer {

    /** The transport's tag value, e.g. {@code kafka}. */
    String transport();

    /** Messages waiting in the remote buffer now (as last measured). */
    long depth();

    /** Messages that may wait before the overflow policy applies. */
    long capacity();

    /**
     * Why the buffer takes no messages now although it may have room (e.g. {@code "disk full (No
     * space left on device)"}), or {@code null} while it takes them. Senders see such a buffer as
     * full, so their overflow policy applies; the HTTP ingress answers 503 with this reason, and the
     * pipeline's health is degraded while it lasts. Must be cheap, like {@link #depth()}.
     */
    default @Nullable String unavailableReason() {
        return null;
    }
}
