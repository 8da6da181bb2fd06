package dev.portflow.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A caller's W3C {@code traceparent} header value to the remote span context it names, by OpenTelemetry's
 * {@link W3CTraceContextPropagator} (the spec's rules: version, lengths, lowercase hex, no all-zero ids, the
 * flags; a later version's extra fields are accepted). A malformed value is ignored: counted, logged at
 * debug (at most its first 64 characters: it is a caller's text), never thrown.
 */
final class Traceparents {

    private static final System.Logger LOG = System.getLogger("dev.portflow.tracing");
    private static final String HEADER = "traceparent";

    /** The one header, given to the propagator as a carrier. */
    private static final TextMapGetter<String> GETTER = (carrier, key) -> HEADER.equals(key) ? carrier : null;

    private final AtomicLong malformed = new AtomicLong();

    /** The span context {@code traceparent} names (remote, with its flags), or null when it is malformed. */
    @Nullable
    SpanContext parse(String traceparent) {
        SpanContext context = Span.fromContext(
                        W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER))
                .getSpanContext();
        if (context.isValid()) {
            return context;
        }
        long count = malformed.incrementAndGet();
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            String shown = traceparent.length() > 64 ? traceparent.substring(0, 64) + "..." : traceparent;
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "ignored a malformed traceparent \"{0}\" ({1} so far); the message is sampled as if it had none",
                    shown,
                    count);
        }
        return null;
    }

    /** How many malformed values were ignored. */
    long malformed() {
        return malformed.get();
    }
}
