package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exporters otel.traces.exporter names: none left open when the configuration is refused. */
class ConfiguredSpanExportersTest {

    private static final ConfigProperties CONFIG = DefaultConfigProperties.createFromMap(Map.of());

    @Test
    void anExporterThatFailsToBeMadeShutsDownTheOnesMadeBeforeIt() {
        Made first = new Made("first");
        Made second = new Made("second");
        List<ConfigurableSpanExporterProvider> providers = List.of(first, second, new Failing());

        assertThatThrownBy(() ->
                        ConfiguredSpanExporters.create(List.of("first", "second", "failing"), CONFIG, () -> providers))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("failing: no endpoint");

        assertThat(first.exporters)
                .singleElement()
                .satisfies(e -> assertThat(e.shutDown).isTrue());
        assertThat(second.exporters)
                .singleElement()
                .satisfies(e -> assertThat(e.shutDown).isTrue());
    }

    @Test
    void aProviderThatCannotLoadItsClassesStillLeavesNoExporterOpen() {
        Made first = new Made("first");
        ConfigurableSpanExporterProvider broken = new Failing() {
            @Override
            public SpanExporter createExporter(ConfigProperties config) {
                throw new NoClassDefFoundError("io/example/Sender");
            }
        };

        assertThatThrownBy(() -> ConfiguredSpanExporters.create(
                        List.of("first", "failing"), CONFIG, () -> List.of(first, broken)))
                .isInstanceOf(NoClassDefFoundError.class);

        assertThat(first.exporters)
                .singleElement()
                .satisfies(e -> assertThat(e.shutDown).isTrue());
    }

    @Test
    void aNameNoProviderHasIsRefusedBeforeAnyExporterIsMade() {
        Made first = new Made("first");

        assertThatThrownBy(
                        () -> ConfiguredSpanExporters.create(List.of("first", "zipkin"), CONFIG, () -> List.of(first)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unrecognized value for otel.traces.exporter: zipkin (the exporters here: [first])");

        assertThat(first.exporters).isEmpty();
    }

    @Test
    void aNameGivenTwiceMakesOneExporterAndTheOnesMadeStayOpen() {
        Made first = new Made("first");
        Made second = new Made("second");

        SpanExporter exporter = ConfiguredSpanExporters.create(
                List.of("first", "second", "first"), CONFIG, () -> List.of(first, second));

        assertThat(exporter).isNotNull();
        assertThat(first.exporters)
                .singleElement()
                .satisfies(e -> assertThat(e.shutDown).isFalse());
        assertThat(second.exporters)
                .singleElement()
                .satisfies(e -> assertThat(e.shutDown).isFalse());
    }

    /** A provider that records the exporters it made. */
    private static final class Made implements ConfigurableSpanExporterProvider {
        final String name;
        final List<Recording> exporters = new ArrayList<>();

        Made(String name) {
            this.name = name;
        }

        @Override
        public SpanExporter createExporter(ConfigProperties config) {
            Recording exporter = new Recording();
            exporters.add(exporter);
            return exporter;
        }

        @Override
        public String getName() {
            return name;
        }
    }

    /** A provider whose exporter cannot be made, as OTLP's with a malformed endpoint. */
    private static class Failing implements ConfigurableSpanExporterProvider {
        @Override
        public SpanExporter createExporter(ConfigProperties config) {
            throw new ConfigurationException("failing: no endpoint");
        }

        @Override
        public String getName() {
            return "failing";
        }
    }

    private static final class Recording implements SpanExporter {
        volatile boolean shutDown;

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            shutDown = true;
            return CompletableResultCode.ofSuccess();
        }
    }
}
