package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;

/**
 * The {@code log_sink} recipe: logs each message through {@link System.Logger} (so through whatever
 * logging backend the application routes it to), one line per message:
 * {@code [<pipeline>/<component>] {"_id":..., "_ingest_time":..., <body fields>}}. Nothing is
 * rendered when the level is disabled. Connected to an {@code err_*} port it logs the error
 * envelopes.
 */
public final class LogSink implements Sink<Object> {

    private final LogSinkConfig config;
    private final System.Logger logger;
    private String prefix = "[log_sink] ";

    public LogSink(LogSinkConfig config) {
        this.config = config;
        this.logger = System.getLogger(config.logger());
    }

    public LogSinkConfig config() {
        return config;
    }

    @Override
    public void setup(ComponentContext context) {
        prefix = "[" + context.pipelineName() + "/" + context.componentName() + "] ";
    }

    @Override
    public void accept(Object message) {
        if (logger.isLoggable(config.level())) {
            JsonMessage document = Documents.of(message);
            logger.log(config.level(), prefix + Json.write(Documents.withMetadata(document)));
        }
    }
}
