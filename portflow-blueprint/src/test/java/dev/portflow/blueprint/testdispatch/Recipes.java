package dev.portflow.blueprint.testdispatch;

import dev.portflow.blueprint.fixtures.Collect;
import dev.portflow.component.Component;
import dev.portflow.component.Sink;
import dev.portflow.component.Transformer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A stand-in for portflow-recipes' dispatcher: records what it was given in the bucket "dispatch". */
public final class Recipes {

    private Recipes() {}

    public static Component create(String recipe, Map<String, ?> config, Path dataDir) {
        List<Object> seen = Collect.bucket("dispatch");
        seen.add(List.of(recipe, config, dataDir));
        return switch (recipe) {
            case "sleep" -> (Transformer<Object, Object>) (m, out) -> out.emit(m);
            case "jsonl_sink" ->
                (Sink<Object>)
                        m -> Collect.bucket("dispatch:" + config.get("path")).add(m);
            default -> throw new IllegalArgumentException(recipe + ": not in this stand-in");
        };
    }
}
