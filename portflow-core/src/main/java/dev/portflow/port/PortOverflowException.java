package dev.portflow.port;

/** Raised to the sender when a {@link OverflowPolicy#FAIL} connection is full. The message was not accepted. */
public final class PortOverflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PortOverflowException(String message) {
        super(message);
    }
}
