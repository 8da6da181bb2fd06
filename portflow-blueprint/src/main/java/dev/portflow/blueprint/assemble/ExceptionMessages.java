package dev.portflow.blueprint.assemble;

/** The text of an exception, as the problems of assembly quote it. */
final class ExceptionMessages {

    private ExceptionMessages() {}

    /** The exception's message, else its class name. */
    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }
}
