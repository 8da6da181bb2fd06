package dev.portflow.component;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns each input message into zero or more output messages. Emitting nothing for an input is a
 * drop with reason {@code filtered}, not an error; an exception is an error for that message only.
 *
 * <pre>{@code
 * Transformer<Order, Order> big = (order, out) -> {
 *     if (order.amount() > 100) out.emit(order);
 * };
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public non-sealed interface Transformer<I, O> extends Component {

    void transform(I message, Emitter<O> out) throws Exception;

    /** One output per input. */
    static <I, O> Transformer<I, O> map(Function<? super I, ? extends O> function) {
        return (message, out) -> out.emit(function.apply(message));
    }

    /** Passes the inputs that match; the others are dropped as {@code filtered}. */
    static <T> Transformer<T, T> filter(Predicate<? super T> predicate) {
        return (message, out) -> {
            if (predicate.test(message)) {
                out.emit(message);
            }
        };
    }
}
