package dev.portflow.recipes;

import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import dev.portflow.message.JsonMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code generator} recipe: emits JSON messages made from a template at a steady rate, until
 * {@code count} messages were emitted (then end of stream) or the pipeline drains.
 *
 * <p>Pacing: message {@code n} is due {@code n / rate} seconds after the start; the source emits
 * every message that is due, then pauses (at least 1 ms) until the next one, so high rates go out
 * in small bursts. When the downstream held it back (a full {@code BLOCK} buffer) for more than a
 * second, the schedule restarts from now instead of bursting to catch up. Every message gets a
 * fresh random id; its event time is the body's {@code event_time} when the template has one.
 */
public final class GeneratorSource implements Source<JsonMessage> {

    private static final long MIN_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_LAG_NANOS = Duration.ofSeconds(1).toNanos();

    private final GeneratorConfig config;
    private final Template template;

    public GeneratorSource(GeneratorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.template = Template.compile(config.template());
    }

    public GeneratorConfig config() {
        return config;
    }

    @Override
    public void run(SourceContext<JsonMessage> context) throws InterruptedException {
        double nanosPerMessage = 1e9 / config.rate();
        long total = config.count() == null ? Long.MAX_VALUE : config.count();
        long start = System.nanoTime();
        long scheduled = 0; // messages since `start`
        long seq = 0;
        while (seq < total && context.isRunning()) {
            long due = start + (long) (scheduled * nanosPerMessage);
            long now = System.nanoTime();
            long wait = due - now;
            if (wait > 0) {
                if (!context.pause(Duration.ofNanos(Math.max(wait, MIN_PAUSE_NANOS)))) {
                    return;
                }
                continue;
            }
            if (-wait > MAX_LAG_NANOS) {
                start = now;
                scheduled = 0;
            }
            context.emit(message(seq));
            seq++;
            scheduled++;
        }
    }

    /** Message number {@code seq}, as the source emits it. */
    JsonMessage message(long seq) {
        Object body = template.render(seq);
        return new JsonMessage(UUID.randomUUID().toString(), Instant.now(), Json.eventTime(body), body);
    }
}
