package dev.portflow.blueprint.testrecipes;

import dev.portflow.blueprint.RecipeContext;
import dev.portflow.blueprint.fixtures.Collect;
import dev.portflow.component.Sink;
import java.util.List;

/** A stand-in made by a static create(RecipeContext): collects into the bucket "log:<level>". */
public final class LogSink implements Sink<Object> {

    private final List<Object> bucket;

    private LogSink(String level) {
        this.bucket = Collect.bucket("log:" + level);
    }

    public static LogSink create(RecipeContext context) {
        return new LogSink(context.config().getString("level"));
    }

    @Override
    public void accept(Object message) {
        bucket.add(message);
    }
}
