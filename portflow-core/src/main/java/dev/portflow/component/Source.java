package dev.portflow.component;

/**
 * Produces messages: the start of a pipeline. {@link #run} is called once on the source's virtual
 * thread and emits until it returns, or until the pipeline drains ({@link SourceContext#isRunning()}
 * turns false and the thread is interrupted).
 *
 * <pre>{@code
 * Source<Integer> numbers = ctx -> {
 *     for (int i = 0; i < 1000 && ctx.isRunning(); i++) {
 *         ctx.emit(i);
 *     }
 * };
 * }</pre>
 *
 * @param <T> the message type
 */
@FunctionalInterface
public non-sealed interface Source<T> extends Component {

    void run(SourceContext<T> context) throws Exception;
}
