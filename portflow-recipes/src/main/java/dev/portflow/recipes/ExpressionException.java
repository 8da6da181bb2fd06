package dev.portflow.recipes;

/**
 * A CEL expression could not be evaluated for one message: a runtime error (no matching overload,
 * division by zero, missing map key), a field the message does not have, or a result of the wrong
 * type. Thrown from a recipe's handler, it fails that message only: the runtime counts it with
 * {@code error_type="ExpressionException"} and sends an error envelope to the component's
 * {@code err_*} port.
 */
public final class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExpressionException(String message) {
        super(message);
    }

    public ExpressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
