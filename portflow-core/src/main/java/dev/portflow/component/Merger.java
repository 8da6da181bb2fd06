package dev.portflow.component;

import org.jspecify.annotations.Nullable;

/**
 * Merges several input ports into one output, fairly: messages are taken round-robin over the
 * inputs, so a busy input cannot starve a quiet one. By default every message passes unchanged.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public non-sealed interface Merger<T> extends Component {

    /**
     * Decides what a message received on one of the inputs becomes.
     *
     * @param message   the message received
     * @param inputPort the name of the port it came from
     * @return the message to emit, or {@code null} to drop it as {@code filtered}
     */
    @Nullable
    T merge(T message, String inputPort) throws Exception;

    /** Passes every message unchanged. */
    static <T> Merger<T> fair() {
        return (message, inputPort) -> message;
    }
}
