package dev.portflow.port;

/**
 * A point-in-time view of one connection's buffer.
 *
 * @param currentBufferUsed messages buffered now
 * @param maxBufferSize     the buffer's capacity
 * @param utilization       {@code currentBufferUsed / maxBufferSize}
 * @param acceptedTotal     messages ever accepted
 * @param receivedTotal     messages ever handed to the receiver
 * @param evictedTotal      messages evicted by {@code DROP_OLDEST}
 * @param closed            whether the sender side has closed
 */
public record ChannelStatistics(
        int currentBufferUsed,
        int maxBufferSize,
        double utilization,
        long acceptedTotal,
        long receivedTotal,
        long evictedTotal,
        boolean closed) {}
