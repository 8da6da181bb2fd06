package dev.portflow.kafka;

/** Kafka could not be reached or refused a record; nothing was accepted. */
public final class KafkaTransportException extends RuntimeException {

    public KafkaTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
