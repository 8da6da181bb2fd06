package dev.portflow.port;

/**
 * One reason a message failed its port's schema.
 *
 * @param field   path of the offending field ({@code ""} for the whole message)
 * @param message what is wrong with it
 */
public record SchemaViolation(String field, String message) {}
