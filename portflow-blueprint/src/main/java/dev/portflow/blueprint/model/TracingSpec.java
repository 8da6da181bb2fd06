package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code tracing:} section: the blueprint asks for message traces (docs/tracing.md). It only
 * carries what was written; {@code portflow run} turns it into the OpenTelemetry tracing of
 * {@code portflow-tracing}, whose defaults fill what is left out.
 *
 * <pre>{@code
 * tracing: {sample_ratio: 0.01, slow_ms: 500}   # also the standard OTEL_* environment variables
 * tracing: {}                                    # on, with the defaults (1 %, slow after 1000 ms)
 * }</pre>
 *
 * @param sampleRatio the share of entering messages traced, 0 to 1, or {@code null} for the default
 * @param slowMs      the age in milliseconds (0 or more) from which a message not sampled at its entry
 *                    is traced from the stage that sees it, or {@code null} for the default
 * @param settings    the section as written, with positions (empty when written {@code tracing:} alone)
 */
public record TracingSpec(
        @Nullable Double sampleRatio, @Nullable Long slowMs, YamlNode.Mapping settings) {

    /** Where the section starts. */
    public Position position() {
        return settings.position();
    }

    /** Where the value of {@code key} starts, else where the section starts. */
    public Position position(String key) {
        YamlNode value = settings.get(key);
        return value != null ? value.position() : settings.position();
    }
}
