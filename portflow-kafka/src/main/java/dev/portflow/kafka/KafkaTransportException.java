package dev.portflow.kafka;

import org.jspecify.annotations.Nullable;

/** Kafka could not be reached or refused a record; nothing was accepted. */
public final class KafkaTransportException extends RuntimeException {

    public KafkaTransportException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
