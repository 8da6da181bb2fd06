package dev.portflow.http;

import org.jspecify.annotations.Nullable;

/**
 * The server could not start listening where it was told to: the port is in use, the host cannot
 * be resolved or is not an address of this machine, or the operating system refused the bind.
 * The message says which, in words fit for an operator; when it is thrown nothing was started
 * (neither the server nor the pipeline).
 */
public final class ServerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code message} says what went wrong, e.g. {@code port 8080 on 127.0.0.1 is in use}. */
    public ServerStartException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
