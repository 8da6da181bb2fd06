package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.model.MetricsSpec;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blueprint's {@code metrics:} section (docs/metrics-export.md): what it holds as written, and every problem at
 * the value's line and column with a hint, as the rest of the blueprint; {@link OtlpMetricsSettings}' rule for the
 * endpoint.
 */
class MetricsSectionTest {

    private static final String PIPELINE = """
            name: m
            components:
              - {name: gen, recipe: generator, config: {rate: 1, count: 1}}
              - {name: sink, recipe: log_sink}
            connections:
              - {from: gen.out_events, to: sink.in_events}
            """;

    private static Validation validate(String section) {
        return Blueprints.loader().validate("m.yaml", PIPELINE + section);
    }

    private static MetricsSpec metrics(String section) {
        Validation validation = validate(section);
        assertThat(validation.problems()).as(validation.report()).isEmpty();
        return Objects.requireNonNull(validation.orThrow().metrics(), "metrics:");
    }

    /** The problems of {@code section}, each as {@code line:column: message (hint: ...)}. */
    private static List<String> problems(String section) {
        return validate(section).problems().stream()
                .map(p -> p.position().line() + ":" + p.position().column() + ": " + p.message() + " (hint: " + p.hint()
                        + ")")
                .toList();
    }

    @Test
    void theSectionHoldsWhatItSays() {
        assertThat(validate("").orThrow().metrics()).as("no section").isNull();
        MetricsSpec full =
                metrics("metrics: {otlp_endpoint: \"https://collector.example:4318/v1/metrics\", step_s: 10}\n");
        assertThat(full.otlpEndpoint()).isEqualTo("https://collector.example:4318/v1/metrics");
        assertThat(full.stepS()).isEqualTo(10L);
        assertThat(full.position("step_s")).isEqualTo(new Position(7, 79));
        MetricsSpec empty = metrics("metrics:\n");
        assertThat(empty.otlpEndpoint()).isNull();
        assertThat(empty.stepS()).isNull();
        MetricsSpec blank = metrics("metrics: {otlp_endpoint: , step_s: }\n");
        assertThat(blank.otlpEndpoint()).as("no value: the environment's").isNull();
        assertThat(blank.stepS()).isNull();
    }

    @Test
    void everyProblemIsReportedAtItsValueWithAHint() {
        assertThat(problems("metrics: {otlp_endpoint: \"collector:4318\", step_s: 0}\n"))
                .containsExactly(
                        "7:26: metrics otlp_endpoint 'collector:4318' is not an http or https URL (hint: the OTLP/HTTP"
                                + " endpoint of the collector, e.g. http://collector:4318/v1/metrics (/v1/metrics is"
                                + " added when the URL does not end with it))",
                        "7:52: metrics step_s must be between 1 and 86400, was 0 (hint: the seconds between two pushes"
                                + " over OTLP; the default is OTEL_METRIC_EXPORT_INTERVAL, else 60)");
        assertThat(problems("metrics:\n  otlp_endpoint: 4318\n  step_s: \"10\"\n  stepS: 10\n"))
                .containsExactly(
                        "8:18: metrics otlp_endpoint must be a URL, found the integer 4318 (hint: the OTLP/HTTP"
                                + " endpoint of the collector, e.g. http://collector:4318/v1/metrics (/v1/metrics is"
                                + " added when the URL does not end with it))",
                        "9:11: metrics step_s must be an integer, found the string \"10\" (hint: write 10 without"
                                + " quotes)",
                        "10:3: unknown metrics key 'stepS' (hint: did you mean 'step_s'? metrics has otlp_endpoint,"
                                + " step_s)");
        assertThat(problems("metrics: {otlp_endpoint: \"http:///v1/metrics\"}\n"))
                .singleElement()
                .asString()
                .startsWith("7:26: metrics otlp_endpoint 'http:///v1/metrics' has no host");
        assertThat(problems("metrics: [otlp]\n"))
                .containsExactly("7:10: metrics must be a mapping, found a list (hint: e.g. metrics: {otlp_endpoint:"
                        + " \"http://collector:4318/v1/metrics\", step_s: 10})");
        assertThat(problems("metrics: {step_s: 86401}\n"))
                .singleElement()
                .asString()
                .startsWith("7:19: metrics step_s must be between 1 and 86400, was 86401");
    }

    @Test
    void aBlueprintWithAProblemInItsSectionIsNotAssembled(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(dir.resolve("m.yaml"), PIPELINE + "metrics: {otlp_endpoint: \"ftp://collector\"}\n");
        assertThatThrownBy(() -> Blueprints.assemble(file))
                .isInstanceOfSatisfying(
                        BlueprintException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::format)
                                .containsExactly(
                                        file + ":7:26: metrics otlp_endpoint 'ftp://collector' is not an http or"
                                                + " https URL (hint: the OTLP/HTTP endpoint of the collector, e.g."
                                                + " http://collector:4318/v1/metrics (/v1/metrics is added when the URL does not end"
                                                + " with it))"));
    }

    @Test
    void theEndpointGetsTheMetricsPathUnlessItEndsWithIt() {
        assertThat(OtlpMetricsSettings.to("http://collector:4318").url()).isEqualTo("http://collector:4318/v1/metrics");
        assertThat(OtlpMetricsSettings.to("http://collector:4318/").url())
                .as("no double slash")
                .isEqualTo("http://collector:4318/v1/metrics");
        assertThat(OtlpMetricsSettings.to("https://otlp.example/otlp/v1/metrics")
                        .url())
                .isEqualTo("https://otlp.example/otlp/v1/metrics");
        assertThat(OtlpMetricsSettings.to("http://collector:4318/custom").url())
                .isEqualTo("http://collector:4318/custom/v1/metrics");
        assertThat(OtlpMetricsSettings.to("http://c:4318")
                        .withStep(Duration.ofSeconds(5))
                        .step())
                .isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> OtlpMetricsSettings.to("grpc://collector:4317"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the OTLP endpoint 'grpc://collector:4317' is not an http or https URL");
        assertThatThrownBy(() -> OtlpMetricsSettings.to("http://c:4318").withStep(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }
}
