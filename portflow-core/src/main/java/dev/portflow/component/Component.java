package dev.portflow.component;

/**
 * A unit of a pipeline. Every component runs on its own virtual thread through three phases:
 * {@link #setup}, its run (receiving or producing messages), and {@link #cleanup}. After cleanup the
 * runtime closes the component's outputs, and end of stream flows downstream.
 *
 * <p>Implement one of {@link Source}, {@link Transformer}, {@link Sink}, {@link Router} or
 * {@link Merger}.
 */
public sealed interface Component permits Source, Transformer, Sink, Router, Merger {

    /** Called once before the pipeline starts; an exception here fails {@code Pipeline.start()}. */
    default void setup(ComponentContext context) throws Exception {}

    /** Called once after the component's last message (or after its source loop ended). */
    default void cleanup() throws Exception {}
}
