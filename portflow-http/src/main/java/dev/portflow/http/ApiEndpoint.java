package dev.portflow.http;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.OutputPort;
import java.time.Duration;

/**
 * The HTTP ingress as a pipeline source (the {@code api_endpoint} recipe). Its ports are fixed:
 * {@code out_requests} carries every accepted message, {@code err_requests} (optional) the
 * envelopes of rejected bodies. Requests reach it through a {@link PortflowServer} (or any server
 * that calls {@link #ingress()}{@code .handle(...)}).
 *
 * <pre>{@code
 * ApiEndpoint<JsonMessage> api = ApiEndpoint.json(IngressSettings.of("/orders"), orderSchema);
 * Pipeline.builder("orders").source("api", JsonMessage.class, api) ...
 *     .connect("api.out_requests", "store.in_orders",
 *              ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT))
 * }</pre>
 *
 * <p>Lifecycle: requests are answered 503 {@code not_ready} until the pipeline runs; once it drains,
 * 503 {@code shutting_down}. The source ends only after the requests that were already sending have
 * finished, so none of them races the closing of its output.
 *
 * @param <T> the message type
 */
public final class ApiEndpoint<T> implements Source<T> {

    /** The fixed data port. */
    public static final String OUT_PORT = "out_requests";
    /** The fixed error port. */
    public static final String ERR_PORT = "err_requests";

    private final Ingress<T> ingress;

    public ApiEndpoint(Ingress<T> ingress) {
        this.ingress = ingress;
    }

    /** An endpoint for any JSON document. */
    public static ApiEndpoint<JsonMessage> json(IngressSettings settings) {
        return new ApiEndpoint<>(new Ingress<>(settings, JsonSchemaDecoder.anyJson()));
    }

    /** An endpoint for JSON documents matching {@code jsonSchema}. */
    public static ApiEndpoint<JsonMessage> json(IngressSettings settings, String jsonSchema) {
        return new ApiEndpoint<>(new Ingress<>(settings, JsonSchemaDecoder.of(jsonSchema)));
    }

    /** An endpoint decoding bodies into {@code type} (a record, validated with Bean Validation). */
    public static <T> ApiEndpoint<T> of(IngressSettings settings, Class<T> type) {
        return new ApiEndpoint<>(new Ingress<>(settings, new RecordDecoder<>(type)));
    }

    public Ingress<T> ingress() {
        return ingress;
    }

    public String path() {
        return ingress.settings().path();
    }

    @Override
    public void setup(ComponentContext context) {
        ingress.bindMeters(context.meterRegistry(), context.pipelineName(), context.componentName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run(SourceContext<T> context) throws Exception {
        OutputPort<T> out = (OutputPort<T>) context.outputPort(OUT_PORT);
        if (out == null) {
            throw new IllegalStateException(
                    "api_endpoint '" + context.componentName() + "' needs its " + OUT_PORT + " port connected");
        }
        ingress.open(out, (OutputPort<ErrorEnvelope>) context.outputPort(ERR_PORT), context.tracer(), context.ticker());
        try {
            while (context.isRunning() && context.pause(Duration.ofSeconds(1))) {
                // requests are served on the server's threads; this thread only waits for shutdown
            }
        } catch (InterruptedException stopping) {
            // drain interrupts the source: fall through to stop accepting
        } finally {
            ingress.startDraining();
            boolean interrupted = Thread.interrupted();
            ingress.awaitInFlight(ingress.settings().timeout().plusSeconds(1));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
