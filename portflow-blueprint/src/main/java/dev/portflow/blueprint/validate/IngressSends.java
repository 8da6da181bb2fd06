package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.http.IngressSettings;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PortName;
import org.jspecify.annotations.Nullable;

/**
 * How the HTTP ingress of an {@code api_endpoint} sends into its connections, which is not what the
 * connection's policy alone says (see {@code Ingress} and {@code OutputPort.sendAcknowledged(message, maxWait)}):
 * <ul>
 *   <li>{@code out_requests}: a request waits at most the endpoint's {@code timeout_ms} for room,
 *       whatever the policy: under {@code block} it waits exactly that long, under
 *       {@code block_with_timeout} the shorter of the two timeouts; then it is answered 503. Under
 *       {@code drop_newest} and {@code fail} a full buffer is a 503 at once. {@code drop_oldest} would
 *       evict requests already answered 202, so it is a problem.</li>
 *   <li>{@code err_requests}: the envelopes of rejected requests are sent without waiting: when the
 *       buffer is full they are dropped, whatever the policy (the client has its 4xx already).</li>
 * </ul>
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, which draws these
 * connections and names its {@code api_endpoint} recipe with {@link #API_ENDPOINT}.
 */
public final class IngressSends {

    /** The recipe of the HTTP ingress ({@code ApiEndpointRecipe.NAME}). */
    public static final String API_ENDPOINT = "api_endpoint";

    private IngressSends() {}

    /** Whether {@code from} (a component's recipe; {@code null} for a user class) is the HTTP ingress. */
    public static boolean isIngress(@Nullable Recipe from) {
        return from != null && API_ENDPOINT.equals(from.name());
    }

    /** Whether {@code port} of an ingress carries accepted requests (else its rejected ones). */
    public static boolean carriesRequests(String port) {
        return !PortName.isError(port);
    }

    /**
     * How long a request waits for room before its 503, in milliseconds, for a connection from
     * {@code out_requests} with {@code policy}: 0 when it does not wait.
     */
    public static long requestWaitMs(OverflowPolicy policy, long connectionTimeoutMs, long ingressTimeoutMs) {
        return switch (policy) {
            case BLOCK -> ingressTimeoutMs;
            case BLOCK_WITH_TIMEOUT -> Math.min(connectionTimeoutMs, ingressTimeoutMs);
            case DROP_NEWEST, DROP_OLDEST, FAIL -> 0;
        };
    }

    /** The endpoint's {@code timeout_ms} as written, else the default; for drawing a blueprint not yet validated. */
    public static long timeoutMs(ComponentSpec api) {
        ConfigEntry entry = api.config().get("timeout_ms");
        if (entry != null
                && entry.value() instanceof YamlNode.Scalar s
                && s.kind() == YamlNode.Scalar.Kind.INTEGER
                && s.integerValue() instanceof Long ms
                && ms > 0) {
            return ms;
        }
        return IngressSettings.DEFAULT_TIMEOUT.toMillis();
    }
}
