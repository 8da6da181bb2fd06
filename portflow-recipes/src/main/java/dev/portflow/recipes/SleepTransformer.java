package dev.portflow.recipes;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;

/**
 * The {@code sleep} recipe: holds each message for {@code duration_ms}, then passes it on unchanged
 * (a stand-in for a slow stage; the time shows as processing time and {@code busy}). One message at
 * a time per worker, so its throughput is at most {@code workers * 1000 / duration_ms} messages per
 * second. It keeps no state: any number of workers may call it at once.
 */
public final class SleepTransformer implements Transformer<JsonMessage, JsonMessage> {

    private final SleepConfig config;

    public SleepTransformer(SleepConfig config) {
        this.config = config;
    }

    public SleepConfig config() {
        return config;
    }

    @Override
    public void transform(JsonMessage message, Emitter<JsonMessage> out) throws InterruptedException {
        if (config.durationMs() > 0) {
            Thread.sleep(config.durationMs());
        }
        out.emit(message);
    }
}
