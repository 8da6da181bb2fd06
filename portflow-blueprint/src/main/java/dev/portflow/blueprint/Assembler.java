package dev.portflow.blueprint;

import dev.portflow.component.Component;
import dev.portflow.dashboard.Dashboard;
import dev.portflow.http.PortflowServer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.ComponentKind;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import dev.portflow.runtime.PipelineDefinitionException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A validated blueprint to a {@link Pipeline} and its {@link PortflowServer}. */
final class Assembler {

    static final int DEFAULT_CAPACITY = ConnectionOptions.DEFAULT_CAPACITY;
    static final Duration DEFAULT_TIMEOUT = ConnectionOptions.DEFAULT_TIMEOUT;
    static final String API_ENDPOINT = "api_endpoint";

    private Assembler() {
    }

    /** {@code block_with_timeout} for edges leaving an {@code api_endpoint}, else {@code block}. */
    static OverflowPolicy defaultPolicy(Recipe from) {
        return from != null && API_ENDPOINT.equals(from.name()) ? OverflowPolicy.BLOCK_WITH_TIMEOUT : OverflowPolicy.BLOCK;
    }

    /** The buffer of one connection: what it says, else the defaults. */
    static ConnectionOptions options(ConnectionSpec c, Recipe from) {
        OverflowPolicy policy = c.overflowPolicy() != null ? c.overflowPolicy() : defaultPolicy(from);
        return ConnectionOptions.defaults()
                .capacity(c.bufferSize() != null ? c.bufferSize() : DEFAULT_CAPACITY)
                .overflow(policy)
                .timeout(c.timeoutMs() != null ? Duration.ofMillis(c.timeoutMs()) : DEFAULT_TIMEOUT);
    }

    static Assembly assemble(Blueprint blueprint, BlueprintValidator.Result validated, AssemblyOptions options,
            ClassLoader loader) {
        List<Problem> problems = new ArrayList<>();
        PrometheusMeterRegistry registry = options.meterRegistry() != null ? options.meterRegistry()
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Path dataDirectory = options.dataDirectory() != null ? options.dataDirectory()
                : blueprint.directory().resolve("data");
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        blueprint.schemas().forEach((name, s) -> schemas.put(name, s.json()));

        PipelineBuilder builder = Pipeline.builder(blueprint.name()).meterRegistry(registry);
        for (BlueprintValidator.Resolved r : validated.components().values()) {
            Context context = new Context(blueprint, r, Collections.unmodifiableMap(schemas), dataDirectory, loader);
            Position at = r.spec().position(r.recipe() != null ? "recipe" : "class");
            Component component;
            try {
                component = create(r, context);
            } catch (Exception | LinkageError e) {
                problems.add(Problem.at(blueprint.file(), at, "could not create component '" + r.spec().name() + "' ("
                        + r.spec().describeType() + "): " + message(e), hintFor(e)));
                continue;
            }
            ComponentKind actual = BlueprintValidator.kindOf(component.getClass());
            if (actual != r.kind()) {
                problems.add(Problem.at(blueprint.file(), at, r.spec().describeType() + " made a "
                        + actual.name().toLowerCase(Locale.ROOT) + " (" + component.getClass().getName()
                        + "), but it is declared a " + r.kind().name().toLowerCase(Locale.ROOT), null));
                continue;
            }
            builder.component(r.spec().name(), component);
        }
        for (BlueprintValidator.Edge e : validated.edges()) {
            ConnectionSpec c = e.spec();
            if (c.isKafka()) {
                problems.add(Problem.at(blueprint.file(), c.position("transport"),
                        "transport: kafka is not supported by this runtime yet (connection " + c.describe() + ")",
                        "remove transport: and topic: to run the connection in memory"));
                continue;
            }
            builder.connect(c.from().toString(), c.to().toString(), options(c, e.from().recipe()));
        }
        if (!problems.isEmpty()) {
            throw new BlueprintException(problems.stream().sorted(Problem.BY_POSITION).toList());
        }
        Pipeline pipeline;
        try {
            pipeline = builder.build();
        } catch (PipelineDefinitionException e) {
            throw new BlueprintException(e.problems().stream()
                    .map(p -> Problem.at(blueprint.file(), blueprint.position(), p, null)).toList());
        }
        PortflowServer server = null;
        if (options.server()) {
            ServerSpec spec = blueprint.server();
            try {
                server = PortflowServer.builder(pipeline)
                        .host(options.host() != null ? options.host() : spec.host())
                        .port(options.port() != null ? options.port() : spec.port())
                        .extension(new Dashboard())
                        .build();
            } catch (IllegalArgumentException e) {
                throw new BlueprintException(List.of(Problem.at(blueprint.file(), spec.position(),
                        "cannot build the server: " + e.getMessage(), null)));
            }
        }
        return new Assembly(blueprint, pipeline, registry, server);
    }

    private static Component create(BlueprintValidator.Resolved r, Context context) throws Exception {
        if (r.recipe() != null) {
            Component c = r.recipe().create(context);
            if (c == null) {
                throw new IllegalStateException("recipe '" + r.recipe().name() + "' made no component");
            }
            return c;
        }
        Object made;
        try {
            made = r.userClass().getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (made instanceof Configurable configurable) {
            configurable.configure(context);
        }
        return (Component) made;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    private static String hintFor(Throwable e) {
        return e instanceof LinkageError ? "a class it needs is missing or incompatible: " + e.getClass().getSimpleName()
                : null;
    }

    /** The {@link RecipeContext} of one component. */
    private record Context(Blueprint blueprint, BlueprintValidator.Resolved resolved, Map<String, JsonNode> schemas,
            Path dataDir, ClassLoader classLoader) implements RecipeContext {

        @Override
        public String componentName() {
            return resolved.spec().name();
        }

        @Override
        public String pipelineName() {
            return blueprint.name();
        }

        @Override
        public RecipeConfig config() {
            return resolved.config();
        }

        @Override
        public Optional<JsonNode> portSchema(String port) {
            return resolved.spec().port(port).map(PortSpec::schema).map(schemas::get);
        }

        @Override
        public List<String> inputPorts() {
            return List.copyOf(resolved.inputs());
        }

        @Override
        public List<String> outputPorts() {
            return List.copyOf(resolved.outputs());
        }

        @Override
        public Path dataDirectory() {
            return dataDir.toAbsolutePath().normalize();
        }

        @Override
        public Path blueprintDirectory() {
            return blueprint.directory();
        }
    }
}
