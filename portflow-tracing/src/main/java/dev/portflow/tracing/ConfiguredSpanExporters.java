package dev.portflow.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The span exporters {@code OTEL_TRACES_EXPORTER} names, found as the SDK's autoconfiguration finds them (the
 * {@link ConfigurableSpanExporterProvider} services on the class path: {@code otlp} ships with Portflow), for
 * {@link OpenTelemetryTracing#fromEnvironment}, which hands its spans to a batch span processor of its own
 * rather than the one autoconfiguration would put in front of them (docs/tracing.md, "What it costs").
 */
final class ConfiguredSpanExporters {

    /** How long the exporters made before one that failed get to shut down (nothing was exported through them). */
    private static final long SHUTDOWN_SECONDS = 10;

    private ConfiguredSpanExporters() {}

    /**
     * The exporter for {@code names} ({@code otel.traces.exporter}'s list; empty means {@code otlp}), one
     * exporter for several names (a name given twice counts once); null for {@code none}.
     *
     * @throws ConfigurationException for a name no provider has, or {@code none} with others, with the SDK's
     *                                words
     */
    static @Nullable SpanExporter create(List<String> names, ConfigProperties config) {
        return create(names, config, () -> {
            List<ConfigurableSpanExporterProvider> providers = new ArrayList<>();
            ServiceLoader.load(ConfigurableSpanExporterProvider.class, ConfiguredSpanExporters.class.getClassLoader())
                    .forEach(providers::add);
            return providers;
        });
    }

    /**
     * As {@link #create(List, ConfigProperties)}, from the providers {@code found} gives (asked only when a
     * name is not {@code none}). Every name is matched to its provider
     * before any exporter is made, so a name refused makes none; an exporter that fails to be made (its
     * provider throws, an exception or an error) shuts down the ones made before it, and what it threw is
     * thrown.
     */
    static @Nullable SpanExporter create(
            List<String> names, ConfigProperties config, Supplier<List<ConfigurableSpanExporterProvider>> found) {
        if (names.contains("none")) {
            if (names.size() > 1) {
                throw new ConfigurationException("otel.traces.exporter contains none along with other exporters");
            }
            return null;
        }
        List<ConfigurableSpanExporterProvider> providers = found.get();
        List<String> wanted = names.isEmpty() ? List.of("otlp") : List.copyOf(new LinkedHashSet<>(names));
        List<ConfigurableSpanExporterProvider> chosen = new ArrayList<>();
        for (String name : wanted) {
            chosen.add(providers.stream()
                    .filter(p -> p.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException("Unrecognized value for otel.traces.exporter: "
                            + name + " (the exporters here: "
                            + providers.stream()
                                    .map(ConfigurableSpanExporterProvider::getName)
                                    .sorted()
                                    .toList()
                            + ")")));
        }
        List<SpanExporter> exporters = new ArrayList<>();
        try {
            for (ConfigurableSpanExporterProvider provider : chosen) {
                exporters.add(provider.createExporter(config));
            }
        } catch (RuntimeException | Error failed) { // an Error too: a provider's missing class, say
            for (SpanExporter made : exporters) {
                try {
                    made.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
        return SpanExporter.composite(exporters);
    }
}
