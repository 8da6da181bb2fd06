package dev.portflow.blueprint.testrecipes;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import java.time.Duration;

/** A stand-in made from a record with a Duration bound from duration_ms. */
public class Sleep implements Transformer<Object, Object> {

    /** Bound from {@code duration_ms}. */
    public record Config(Duration durationMs) {}

    private final Duration duration;

    public Sleep(Config config) {
        this.duration = config.durationMs();
    }

    @Override
    public void transform(Object message, Emitter<Object> out) throws Exception {
        Thread.sleep(duration);
        out.emit(message);
    }
}
