package dev.portflow.component;

import org.jspecify.annotations.Nullable;

/**
 * Sends each message to one of several output ports, chosen per message.
 *
 * <pre>{@code
 * Router<Order> byAmount = order -> order.amount() > 100 ? "out_big" : "out_small";
 * }</pre>
 *
 * @param <T> the message type
 */
@FunctionalInterface
public non-sealed interface Router<T> extends Component {

    /**
     * Picks the output port for a message.
     *
     * @return the name of the output port for {@code message}, or {@code null} to drop it as
     *     {@code filtered}; a name that is not one of the router's connected output ports is an error
     */
    @Nullable
    String route(T message) throws Exception;
}
