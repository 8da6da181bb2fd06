package dev.portflow.recipes;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;
import java.util.List;

/**
 * The {@code split} recipe: evaluates the {@code items} expression and emits one message per
 * element, in order. The element becomes the whole body (a JSON object element stays an object; a
 * number stays a number); nothing of the parent body is copied into it (use a {@code map} before
 * the split to push parent fields into the elements, e.g.
 * {@code items.map(i, {"order": id, "sku": i.sku})}).
 *
 * <p>Element {@code i} gets the id {@code <parent id>-<i>}, so re-splitting a redelivered message
 * gives the same ids (an idempotent {@code store} downstream keeps one row), and the parent's
 * ingest and event times, so its age keeps counting from the original event. An empty list emits
 * nothing (the message counts as {@code filtered}); a result that is not a list fails the message.
 * Any number of workers may call it at once: the compiled expression is immutable.
 */
public final class SplitTransformer implements Transformer<JsonMessage, JsonMessage> {

    private final SplitConfig config;
    private final CelExpression items;

    public SplitTransformer(SplitConfig config) {
        this.config = config;
        this.items = SplitConfig.compile(config.items());
    }

    public SplitConfig config() {
        return config;
    }

    @Override
    public void transform(JsonMessage message, Emitter<JsonMessage> out) throws InterruptedException {
        List<Object> elements = items.evaluateList(message.body());
        for (int i = 0; i < elements.size(); i++) {
            out.emit(new JsonMessage(
                    message.id() + "-" + i, message.ingestTime(), message.declaredEventTime(), elements.get(i)));
        }
    }
}
