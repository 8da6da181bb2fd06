package dev.portflow.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The span exporters {@code OTEL_TRACES_EXPORTER} names, found as the SDK's autoconfiguration finds them (the
 * {@link ConfigurableSpanExporterProvider} services on the class path: {@code otlp} ships with Portflow), for
 * {@link OpenTelemetryTracing#fromEnvironment}, which hands its spans to a batch span processor of its own
 * rather than the one autoconfiguration would put in front of them (docs/tracing.md, "What it costs").
 */
final class ConfiguredSpanExporters {

    private ConfiguredSpanExporters() {}

    /**
     * The exporter for {@code names} ({@code otel.traces.exporter}'s list; empty means {@code otlp}), one
     * exporter for several names; null for {@code none}.
     *
     * @throws ConfigurationException for a name no provider has, or {@code none} with others, with the SDK's
     *                                words
     */
    static @Nullable SpanExporter create(List<String> names, ConfigProperties config) {
        if (names.contains("none")) {
            if (names.size() > 1) {
                throw new ConfigurationException("otel.traces.exporter contains none along with other exporters");
            }
            return null;
        }
        List<String> wanted = names.isEmpty() ? List.of("otlp") : names;
        List<ConfigurableSpanExporterProvider> providers = new ArrayList<>();
        ServiceLoader.load(ConfigurableSpanExporterProvider.class, ConfiguredSpanExporters.class.getClassLoader())
                .forEach(providers::add);
        List<SpanExporter> exporters = new ArrayList<>();
        for (String name : wanted) {
            ConfigurableSpanExporterProvider provider = providers.stream()
                    .filter(p -> p.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException("Unrecognized value for otel.traces.exporter: "
                            + name + " (the exporters here: "
                            + providers.stream()
                                    .map(ConfigurableSpanExporterProvider::getName)
                                    .sorted()
                                    .toList()
                            + ")"));
            exporters.add(provider.createExporter(config));
        }
        return SpanExporter.composite(exporters);
    }
}
