package dev.portflow.blueprint.testrecipes;

import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stand-in for the real generator, made from a config record bound by name. */
public class Generator implements Source<Object> {

    /** Bound from {@code rate}, {@code count}, {@code template}; {@code componentName} from the context. */
    public record Config(double rate, Long count, Map<String, Object> template, String componentName) {}

    private final Config config;

    public Generator(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public void run(SourceContext<Object> context) throws Exception {
        long pauseNanos = (long) (1e9 / config.rate());
        for (long seq = 1; (config.count() == null || seq <= config.count()) && context.isRunning(); seq++) {
            Map<String, Object> message = new LinkedHashMap<>(config.template() == null ? Map.of() : config.template());
            message.put("seq", seq);
            message.put("from", config.componentName());
            context.emit(message);
            if (pauseNanos > 1000) {
                context.pause(Duration.ofNanos(pauseNanos));
            }
        }
    }
}
