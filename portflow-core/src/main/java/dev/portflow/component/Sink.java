package dev.portflow.component;

/**
 * Consumes messages: the end of a pipeline.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public non-sealed interface Sink<T> extends Component {

    void accept(T message) throws Exception;

    /** Called once at end of stream, before {@link #cleanup()}: write out anything buffered. */
    default void flush() throws Exception {}
}
