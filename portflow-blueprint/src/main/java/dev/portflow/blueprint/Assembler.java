package dev.portflow.blueprint;

import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.dashboard.Dashboard;
import dev.portflow.http.PortflowServer;
import dev.portflow.kafka.KafkaEdge;
import dev.portflow.kafka.KafkaReceiver;
import dev.portflow.kafka.KafkaSettings;
import dev.portflow.kafka.KafkaTransport;
import dev.portflow.kafka.KafkaTransportException;
import dev.portflow.kafka.MessageCodec;
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

/**
 * A validated blueprint to a {@link Pipeline} and its {@link PortflowServer}: the components that
 * run in this process ({@link AssemblyOptions#only()}), their in-memory connections, and the ends of
 * their Kafka connections that run here.
 */
final class Assembler {

    static final int DEFAULT_CAPACITY = ConnectionOptions.DEFAULT_CAPACITY;
    static final Duration DEFAULT_TIMEOUT = ConnectionOptions.DEFAULT_TIMEOUT;
    /** The output port of a Kafka receiver, feeding the receiving component. */
    static final String RECEIVER_PORT = "out_records";

    private Assembler() {}

    /** {@code block_with_timeout} for edges leaving an {@code api_endpoint}, else {@code block}. */
    static OverflowPolicy defaultPolicy(Recipe from) {
        return from != null && ApiEndpointRecipe.NAME.equals(from.name())
                ? OverflowPolicy.BLOCK_WITH_TIMEOUT
                : OverflowPolicy.BLOCK;
    }

    /** The buffer of one connection: what it says, else the defaults (for Kafka: the consumer lag allowed). */
    static ConnectionOptions options(ConnectionSpec c, Recipe from) {
        OverflowPolicy policy = c.overflowPolicy() != null ? c.overflowPolicy() : defaultPolicy(from);
        return ConnectionOptions.defaults()
                .capacity(bufferSize(c))
                .overflow(policy)
                .timeout(c.timeoutMs() != null ? Duration.ofMillis(c.timeoutMs()) : DEFAULT_TIMEOUT);
    }

    /** {@code buffer_size}, else 1024 in memory and a consumer lag of 10000 over Kafka. */
    static int bufferSize(ConnectionSpec c) {
        return c.bufferSize() != null ? c.bufferSize() : c.isKafka() ? KafkaSpec.DEFAULT_LAG_ALLOWED : DEFAULT_CAPACITY;
    }

    /** The receiving end of a Kafka connection in this process, to point at its input port once built. */
    private record Receiving(KafkaReceiver<?> receiver, Endpoint to) {}

    static Assembly assemble(
            Blueprint blueprint, BlueprintValidator.Result validated, AssemblyOptions options, ClassLoader loader) {
        List<Problem> problems = new ArrayList<>();
        PrometheusMeterRegistry registry = options.meterRegistry() != null
                ? options.meterRegistry()
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Path dataDirectory = options.dataDirectory() != null
                ? options.dataDirectory()
                : blueprint.directory().resolve("data");
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        blueprint.schemas().forEach((name, s) -> schemas.put(name, s.json()));

        PipelineBuilder builder = Pipeline.builder(blueprint.name()).meterRegistry(registry);
        for (BlueprintValidator.Resolved r : validated.components().values()) {
            if (!options.runsHere(r.spec().name())) {
                continue;
            }
            Context context = new Context(blueprint, r, Collections.unmodifiableMap(schemas), dataDirectory, loader);
            Position at = r.spec().position(r.recipe() != null ? "recipe" : "class");
            Component component;
            try {
                component = create(r, context);
            } catch (Exception | LinkageError e) {
                problems.add(Problem.at(
                        blueprint.file(),
                        at,
                        "could not create component '" + r.spec().name() + "' ("
                                + r.spec().describeType() + "): " + message(e),
                        hintFor(e)));
                continue;
            }
            ComponentKind actual = BlueprintValidator.kindOf(component.getClass());
            if (actual != r.kind()) {
                problems.add(Problem.at(
                        blueprint.file(),
                        at,
                        r.spec().describeType() + " made a "
                                + actual.name().toLowerCase(Locale.ROOT) + " ("
                                + component.getClass().getName()
                                + "), but it is declared a " + r.kind().name().toLowerCase(Locale.ROOT),
                        null));
                continue;
            }
            builder.component(r.spec().name(), component);
            WorkerRules.apply(blueprint, r, component, builder, loader, problems);
        }
        List<BlueprintValidator.Edge> kafkaEdges = new ArrayList<>();
        for (BlueprintValidator.Edge e : validated.edges()) {
            ConnectionSpec c = e.spec();
            boolean sends = options.runsHere(c.from().component());
            boolean receives = options.runsHere(c.to().component());
            if (!sends && !receives) {
                continue; // both ends run elsewhere
            }
            if (c.isKafka()) {
                kafkaEdges.add(e);
            } else {
                builder.connect(
                        c.from().toString(),
                        c.to().toString(),
                        options(c, e.from().recipe()));
            }
        }
        KafkaTransport kafka = null;
        List<Receiving> receiving = new ArrayList<>();
        Failures failures = new Failures();
        String bootstrap = kafkaEdges.isEmpty()
                ? null
                : bootstrapServers(blueprint, kafkaEdges.getFirst().spec(), options, problems);
        if (bootstrap != null && problems.isEmpty()) { // Kafka is contacted only for a pipeline that can be built
            kafka = kafkaTransport(blueprint, bootstrap, kafkaEdges.getFirst().spec(), problems, failures);
            if (kafka != null) {
                for (BlueprintValidator.Edge e : kafkaEdges) {
                    if (!kafkaEdge(blueprint, e, options, schemas, kafka, builder, receiving, problems, failures)) {
                        break; // Kafka is not reachable: the other connections would wait for it in vain
                    }
                }
            }
        }
        try {
            if (!problems.isEmpty()) {
                throw new BlueprintException(
                        problems.stream().sorted(Problem.BY_POSITION).toList());
            }
            if (!failures.problems.isEmpty()) {
                throw new StartFailureException(blueprint.name(), failures.problems, failures.cause);
            }
            Pipeline pipeline;
            try {
                pipeline = builder.build();
            } catch (PipelineDefinitionException e) {
                throw new BlueprintException(e.problems().stream()
                        .map(p -> Problem.at(blueprint.file(), blueprint.position(), p, null))
                        .toList());
            }
            for (Receiving r : receiving) {
                r.receiver().watch(pipeline);
            }
            PortflowServer server = options.server() ? server(blueprint, pipeline, options) : null;
            return new Assembly(blueprint, pipeline, registry, server, kafka, options.only());
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    /**
     * The runtime's server for {@code pipeline}, with the blueprint's address (or the options') and
     * limits. Validation has checked what the blueprint says (paths, host, limits), so a failure here
     * comes from outside it, typically a host that does not resolve: a failure to start.
     */
    private static PortflowServer server(Blueprint blueprint, Pipeline pipeline, AssemblyOptions options) {
        ServerSpec spec = blueprint.server();
        String host = options.host() != null ? options.host() : spec.host();
        int port = options.port() != null ? options.port() : spec.port();
        PortflowServer.Builder builder =
                PortflowServer.builder(pipeline).host(host).port(port).extension(new Dashboard());
        if (spec.maxConnections() != null) {
            builder.maxConnections(spec.maxConnections());
        }
        if (spec.maxConcurrentRequests() != null) {
            builder.maxConcurrentRequests(spec.maxConcurrentRequests());
        }
        if (spec.maxHeaderBytes() != null) {
            builder.maxHeaderBytes(spec.maxHeaderBytes());
        }
        if (spec.idleTimeout() != null) {
            builder.idleTimeout(spec.idleTimeout());
        }
        if (spec.readTimeout() != null) {
            builder.readTimeout(spec.readTimeout());
        }
        try {
            return builder.build();
        } catch (RuntimeException e) {
            Position at = spec.positions().containsKey("host") && options.host() == null
                    ? spec.position("host")
                    : spec.position();
            throw new StartFailureException(
                    blueprint.name(),
                    List.of(Problem.at(
                            blueprint.file(),
                            at,
                            "cannot start the server at " + host + ":" + port + ": " + message(e),
                            "is " + host + " a name or address of this machine?")),
                    e);
        }
    }

    /** Failures to start: something outside the blueprint (Kafka, the network) failed. */
    private static final class Failures {
        final List<Problem> problems = new ArrayList<>();
        Throwable cause;

        void add(Problem problem, Throwable exception) {
            problems.add(problem);
            if (cause == null) {
                cause = exception;
            }
        }
    }

    /**
     * The Kafka bootstrap servers: {@code PORTFLOW_KAFKA_BOOTSTRAP} when set, else
     * {@code kafka.bootstrap_servers}; {@code null} with a problem at {@code first} when neither is.
     */
    private static String bootstrapServers(
            Blueprint blueprint, ConnectionSpec first, AssemblyOptions options, List<Problem> problems) {
        String configured = blueprint.kafka() != null ? blueprint.kafka().bootstrapServers() : null;
        Map<String, String> environment = options.environment() != null ? options.environment() : System.getenv();
        String bootstrap = KafkaSettings.bootstrapFrom(configured, environment);
        if (bootstrap == null || bootstrap.isBlank()) {
            problems.add(Problem.at(
                    blueprint.file(),
                    first.position("transport"),
                    "connection " + first.describe() + " runs over Kafka, but no Kafka bootstrap servers are set",
                    "add kafka: {bootstrap_servers: \"host:port\"} to the blueprint, or set the environment variable "
                            + KafkaSettings.BOOTSTRAP_ENV));
            return null;
        }
        return bootstrap;
    }

    /**
     * The process's connection to Kafka (contacted lazily), or {@code null} with a problem: a client
     * property Kafka refuses is a problem of the blueprint; bootstrap servers that do not resolve (their
     * form was validated) are a failure to start.
     */
    private static KafkaTransport kafkaTransport(
            Blueprint blueprint, String bootstrap, ConnectionSpec first, List<Problem> problems, Failures failures) {
        KafkaSpec spec = blueprint.kafka() != null ? blueprint.kafka() : KafkaSpec.defaults(blueprint.position());
        try {
            return KafkaTransport.create(KafkaSettings.of(bootstrap)
                    .withLagRefresh(Duration.ofMillis(spec.lagRefreshMs()))
                    .withClientProperties(spec.client()));
        } catch (RuntimeException e) {
            Problem problem = Problem.at(
                    blueprint.file(),
                    blueprint.kafka() != null ? spec.position() : first.position("transport"),
                    "cannot set up the Kafka client for " + bootstrap + ": " + message(e),
                    null);
            if (isConfigProblem(e)) {
                problems.add(problem);
            } else {
                failures.add(problem, e);
            }
            return null;
        }
    }

    /** Whether Kafka refused its configuration for something other than the bootstrap servers. */
    private static boolean isConfigProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.config.ConfigException config) {
                return config.getMessage() == null || !config.getMessage().contains("bootstrap");
            }
        }
        return false;
    }

    /**
     * The ends of one Kafka connection that run in this process: the sending link on the sender's
     * output port, and a receiver (a source named {@code kafka_in_<component>_<port>}) feeding the
     * receiving input port, which then reports the consumer lag as its depth.
     *
     * @return {@code false} when Kafka could not be reached (a failure to start was added)
     */
    private static boolean kafkaEdge(
            Blueprint blueprint,
            BlueprintValidator.Edge e,
            AssemblyOptions options,
            Map<String, JsonNode> schemas,
            KafkaTransport kafka,
            PipelineBuilder builder,
            List<Receiving> receiving,
            List<Problem> problems,
            Failures failures) {
        ConnectionSpec c = e.spec();
        KafkaSpec spec = blueprint.kafka() != null ? blueprint.kafka() : KafkaSpec.defaults(blueprint.position());
        String schemaName = e.from()
                .spec()
                .port(c.from().port())
                .map(PortSpec::schema)
                .or(() -> e.to().spec().port(c.to().port()).map(PortSpec::schema))
                .orElse(null);
        try {
            KafkaEdge edge = new KafkaEdge(
                    blueprint.name(),
                    c.from().component(),
                    c.from().port(),
                    c.to().component(),
                    c.to().port(),
                    c.topicIn(blueprint.name()),
                    bufferSize(c));
            MessageCodec<Object> codec = KafkaCodecs.forEdge(e, schemaName == null ? null : schemas.get(schemaName));
            if (options.runsHere(c.from().component())) {
                builder.connect(
                        c.from().toString(),
                        kafka.sendingLink(edge, codec),
                        options(c, e.from().recipe()));
            }
            if (options.runsHere(c.to().component())) {
                KafkaReceiver<Object> receiver = kafka.receiver(edge, codec, spec.prefetch());
                String name = BlueprintValidator.receiverName(c.to());
                builder.component(name, receiver);
                builder.connect(
                        name + "." + RECEIVER_PORT,
                        c.to().toString(),
                        ConnectionOptions.defaults().capacity(spec.prefetch()).overflow(OverflowPolicy.BLOCK));
                builder.bindRemote(c.to().toString(), receiver.backlog());
                receiving.add(new Receiving(receiver, c.to()));
            }
            return true;
        } catch (KafkaTransportException ex) {
            failures.add(
                    Problem.at(
                            blueprint.file(),
                            c.position("transport"),
                            "cannot set up kafka connection " + c.describe() + " (topic " + c.topicIn(blueprint.name())
                                    + "): " + message(ex),
                            "is Kafka reachable at " + kafka.settings().bootstrapServers() + "?"),
                    ex);
            return false;
        } catch (RuntimeException ex) {
            problems.add(Problem.at(
                    blueprint.file(),
                    c.position("transport"),
                    "cannot set up kafka connection " + c.describe() + " (topic " + c.topicIn(blueprint.name()) + "): "
                            + message(ex),
                    null));
            return true;
        }
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
        return e instanceof LinkageError
                ? "a class it needs is missing or incompatible: " + e.getClass().getSimpleName()
                : null;
    }

    /** The {@link RecipeContext} of one component. */
    private record Context(
            Blueprint blueprint,
            BlueprintValidator.Resolved resolved,
            Map<String, JsonNode> schemas,
            Path dataDir,
            ClassLoader classLoader)
            implements RecipeContext {

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
