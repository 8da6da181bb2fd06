package dev.portflow.recipes;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code map} recipe: computes fields with CEL expressions and emits the message with a new
 * body (same id and times). A body that is not a JSON object contributes no fields (its value is
 * still {@code message} in the expressions). An evaluation error fails the message, and so does a
 * result JSON cannot hold ({@code field 'ratio' is Infinity, which JSON cannot hold}). Any number of
 * workers may call it at once: the compiled expressions are immutable, and each call builds its own
 * body.
 */
public final class MapTransformer implements Transformer<JsonMessage, JsonMessage> {

    private final MapConfig config;
    private final Map<String, CelExpression> fields;

    public MapTransformer(MapConfig config) {
        this.config = config;
        this.fields = MapConfig.compile(config.fields());
    }

    public MapConfig config() {
        return config;
    }

    @Override
    public void transform(JsonMessage message, Emitter<JsonMessage> out) throws InterruptedException {
        Object body = message.body();
        Map<String, Object> result = config.replace()
                ? LinkedHashMap.newLinkedHashMap(fields.size())
                : new LinkedHashMap<>(message.fields());
        for (Map.Entry<String, CelExpression> field : fields.entrySet()) {
            result.put(field.getKey(), field.getValue().evaluateField(body, field.getKey()));
        }
        out.emit(message.withBody(result));
    }
}
