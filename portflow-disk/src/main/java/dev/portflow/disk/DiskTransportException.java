package dev.portflow.disk;

/** A durable connection cannot be set up: the data directory is in use, not writable, or its log is unreadable. */
public final class DiskTransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DiskTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    public DiskTransportException(String message) {
        super(message);
    }
}
