package dev.portflow.blueprint;

import dev.portflow.blueprint.assemble.AssemblyState;
import dev.portflow.blueprint.assemble.ComponentMaker;
import dev.portflow.blueprint.assemble.DiskEnds;
import dev.portflow.blueprint.assemble.KafkaEnds;
import dev.portflow.blueprint.assemble.MemoryConnections;
import dev.portflow.blueprint.assemble.OtlpExport;
import dev.portflow.blueprint.assemble.ServerMaker;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.http.PortflowServer;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import dev.portflow.runtime.PipelineDefinitionException;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated blueprint to a {@link Pipeline} and its {@link PortflowServer}: the components that
 * run in this process ({@link AssemblyOptions#only()}), their in-memory connections, the ends of
 * their Kafka connections that run here, and their disk connections. With {@link AssemblyOptions#otlpMetrics()},
 * the pipeline's registry is a {@code CompositeMeterRegistry} of the Prometheus registry and an OTLP one, made
 * first. Runs the steps of {@code dev.portflow.blueprint.assemble} in that order, then builds the pipeline and its
 * server, and turns what went wrong into a {@link BlueprintException} or a {@link StartFailureException} (closing
 * the Kafka client, releasing the data directory and stopping the OTLP registry without a push, if any).
 */
final class Assembler {

    private Assembler() {}

    static Assembly assemble(
            Blueprint blueprint, BlueprintValidator.Result validated, AssemblyOptions options, ClassLoader loader) {
        PrometheusMeterRegistry registry = options.meterRegistry() != null
                ? options.meterRegistry()
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Path dataDirectory = options.dataDirectory() != null
                ? options.dataDirectory()
                : blueprint.directory().resolve("data");
        String name = blueprint.name();
        if (name == null) { // the parser's problem, which validating the model again does not repeat
            throw new BlueprintException(List.of(Problem.at(
                    blueprint.file(),
                    blueprint.position(),
                    "the blueprint has no name",
                    "add name: <pipeline name> at the top")));
        }
        OtlpMetricsSettings otlp = options.otlpMetrics();
        // checked before anything is built: an OTEL_* variable Micrometer cannot use is an IllegalArgumentException
        OtlpConfig otlpConfig =
                otlp == null ? null : OtlpExport.config(otlp.url(), otlp.step(), name, options.instanceId());
        // With OTLP, every meter goes through a composite of the Prometheus registry (/metrics) and the OTLP one,
        // made before any meter is registered: the pipeline, its ports' histograms (core's HistogramMeters, member
        // by member), the Kafka and disk ends (through the pipeline's registry), the ingress and the server's JVM
        // meters all register there.
        OtlpExport export = otlpConfig == null ? null : OtlpExport.start(otlpConfig);
        MeterRegistry meters = export == null
                ? registry
                : new CompositeMeterRegistry(Clock.SYSTEM, List.of(registry, export.registry()));
        KafkaEnds kafka = null;
        DiskEnds disk = null;
        try {
            PipelineBuilder builder = Pipeline.builder(name).meterRegistry(meters);
            if (options.tracing() != null) {
                builder.tracing(options.tracing());
            }
            AssemblyState state = new AssemblyState(blueprint, name, builder, options::runsHere);
            ComponentMaker.addAll(state, validated.components(), dataDirectory, loader);
            MemoryConnections.Elsewhere elsewhere = MemoryConnections.connect(state, validated.edges());
            kafka = KafkaEnds.connect(state, elsewhere.kafka(), options.environment(), options.instanceId());
            disk = DiskEnds.connect(state, elsewhere.disk(), options.diskDirectory());
            throwWhatWentWrong(state);
            Pipeline pipeline;
            try {
                pipeline = state.builder().build();
            } catch (PipelineDefinitionException e) {
                throw new BlueprintException(e.problems().stream()
                        .map(p -> Problem.at(blueprint.file(), blueprint.position(), p, null))
                        .toList());
            }
            kafka.watch(pipeline);
            disk.watch(pipeline);
            PortflowServer server =
                    options.server() ? ServerMaker.make(state, pipeline, options.host(), options.port()) : null;
            throwWhatWentWrong(state);
            return new Assembly(
                    blueprint, pipeline, registry, server, kafka.transport(), disk.transport(), export, options.only());
        } catch (RuntimeException e) {
            try {
                if (kafka != null) {
                    kafka.close();
                }
                if (disk != null) {
                    disk.close();
                }
            } finally {
                if (export != null) {
                    export.discard(); // the pipeline never ran: nothing to push
                }
            }
            throw e;
        }
    }

    /**
     * Throws what went wrong so far: the blueprint's problems as a {@link BlueprintException}, else the
     * failures to start as a {@link StartFailureException}.
     */
    private static void throwWhatWentWrong(AssemblyState state) {
        List<Problem> problems = state.problems();
        if (!problems.isEmpty()) {
            throw new BlueprintException(problems);
        }
        List<Problem> failures = state.failures();
        if (!failures.isEmpty()) {
            throw new StartFailureException(state.pipeline(), failures, state.failureCause());
        }
    }
}
