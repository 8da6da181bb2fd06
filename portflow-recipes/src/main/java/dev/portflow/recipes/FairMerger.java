package dev.portflow.recipes;

import dev.portflow.component.Merger;

/**
 * The {@code merge} recipe: several inputs into one output, unchanged. The runtime takes messages
 * round-robin over the inputs, so a busy input cannot starve a quiet one. No configuration. It
 * keeps no state: any number of workers may call it at once.
 */
public final class FairMerger implements Merger<Object> {

    static final String RECIPE = "merge";

    @Override
    public Object merge(Object message, String inputPort) {
        return message;
    }
}
