package dev.portflow.port;

/** What a connection does when its buffer is full and a message is sent. */
public enum OverflowPolicy {
    /** The sender waits until there is room. Default for internal edges. */
    BLOCK,
    /** The sender waits up to the connection's timeout, then gives up (reason {@code timeout}). Default for ingress edges. */
    BLOCK_WITH_TIMEOUT,
    /** The oldest buffered message is evicted (reason {@code drop_oldest}) and the new one accepted. */
    DROP_OLDEST,
    /** The new message is refused (reason {@code drop_newest}). */
    DROP_NEWEST,
    /** The new message is refused and the sender gets a {@link PortOverflowException} (reason {@code fail}). */
    FAIL
}
