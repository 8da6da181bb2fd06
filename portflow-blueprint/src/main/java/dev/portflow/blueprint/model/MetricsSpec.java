package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code metrics:} section: the blueprint asks for its meters to be pushed over OTLP as well, besides
 * {@code GET /metrics}, which Prometheus scrapes whether or not the section is there (docs/metrics-export.md). It
 * only carries what was written; {@code portflow run} turns it into the OTLP export, where the standard
 * {@code OTEL_*} environment variables fill what is left out.
 *
 * <pre>{@code
 * metrics: {otlp_endpoint: "http://collector:4318/v1/metrics", step_s: 10}
 * metrics: {}     # on: to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT, else localhost:4318
 * }</pre>
 *
 * @param otlpEndpoint the OTLP/HTTP endpoint as written (an http or https URL; {@code /v1/metrics} is added unless
 *                     it ends with it), or {@code null}: the environment's, else {@code http://localhost:4318}
 * @param stepS        seconds between two pushes (1 or more), or {@code null}: {@code OTEL_METRIC_EXPORT_INTERVAL},
 *                     else 60
 * @param settings     the section as written, with positions (empty when written {@code metrics:} alone)
 */
public record MetricsSpec(
        @Nullable String otlpEndpoint, @Nullable Long stepS, YamlNode.Mapping settings) {

    /** The most seconds {@code step_s} may say: a push a day. */
    public static final long MAX_STEP_S = 86_400;

    /** Where the section starts. */
    public Position position() {
        return settings.position();
    }

    /** Where the value of {@code key} starts, else where the section starts. */
    public Position position(String key) {
        YamlNode value = settings.get(key);
        return value != null ? value.position() : settings.position();
    }

    /**
     * What is wrong with {@code endpoint} as an OTLP/HTTP endpoint, or {@code null} when it is an absolute
     * {@code http} or {@code https} URL with a host (and no user information, query or fragment). The one rule for
     * the blueprint's {@code otlp_endpoint} and the {@code OTEL_EXPORTER_OTLP_*ENDPOINT} variables.
     */
    public static @Nullable String endpointProblem(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            return "is not a URL (" + e.getReason() + ")";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !uri.isAbsolute()) {
            return "is not an absolute URL";
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            return "is not an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "has no host";
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "may not have user information, a query or a fragment";
        }
        return null;
    }
}
