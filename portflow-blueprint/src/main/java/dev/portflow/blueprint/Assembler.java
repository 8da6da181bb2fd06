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
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated blueprint to a {@link Pipeline} and its {@link PortflowServer}: the components that
 * run in this process ({@link AssemblyOptions#only()}), their in-memory connections, the ends of
 * their Kafka connections that run here, and their disk connections; with {@link AssemblyOptions#otlpMetrics()},
 * the OTLP export of the pipeline's meters, started last. Runs the steps of
 * {@code dev.portflow.blueprint.assemble} in that order, then builds the pipeline and its server, and
 * turns what went wrong into a {@link BlueprintException} or a {@link StartFailureException} (closing
 * the Kafka client and releasing the data directory, if any).
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
        OtlpConfig otlpConfig = otlp == null ? null : OtlpExport.config(otlp.url(), otlp.step(), name);
        PipelineBuilder builder = Pipeline.builder(name).meterRegistry(registry);
        if (options.tracing() != null) {
            builder.tracing(options.tracing());
        }
        AssemblyState state = new AssemblyState(blueprint, name, builder, options::runsHere);
        ComponentMaker.addAll(state, validated.components(), dataDirectory, loader);
        MemoryConnections.Elsewhere elsewhere = MemoryConnections.connect(state, validated.edges());
        KafkaEnds kafka = KafkaEnds.connect(state, elsewhere.kafka(), options.environment(), options.instanceId());
        DiskEnds disk = null;
        try {
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
            // last: every meter registered so far is mirrored at once, and those registered later as they come
            OtlpExport export = otlpConfig == null ? null : OtlpExport.start(registry, otlpConfig);
            return new Assembly(
                    blueprint, pipeline, registry, server, kafka.transport(), disk.transport(), export, options.only());
        } catch (RuntimeException e) {
            kafka.close();
            if (disk != null) {
                disk.close();
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
