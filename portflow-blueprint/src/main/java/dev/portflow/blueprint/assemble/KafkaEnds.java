package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.model.KafkaSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.blueprint.validate.ConnectionDefaults;
import dev.portflow.blueprint.validate.Names;
import dev.portflow.kafka.KafkaEdge;
import dev.portflow.kafka.KafkaReceiver;
import dev.portflow.kafka.KafkaSettings;
import dev.portflow.kafka.KafkaTransport;
import dev.portflow.kafka.KafkaTransportException;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The third step of assembly: the ends of the Kafka connections that run in this process, over the
 * process's one Kafka client. Kafka is contacted only for a pipeline that can be built: with
 * bootstrap servers set ({@code PORTFLOW_KAFKA_BOOTSTRAP}, else {@code kafka.bootstrap_servers}) and
 * no problem found before. Once the pipeline is built its receivers {@link #watch} it; the client is
 * {@link #close}d when assembly fails.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps.
 */
public final class KafkaEnds {

    /** The output port of a Kafka receiver, feeding the receiving component. */
    private static final String RECEIVER_PORT = "out_records";

    /** The receiving end of a Kafka connection in this process, to point at its input port once built. */
    private record Receiving(KafkaReceiver<?> receiver, Endpoint to) {}

    private final AssemblyState state;
    /** The process's Kafka client, or {@code null} when there is none. */
    private final @Nullable KafkaTransport kafka;

    private final List<Receiving> receiving = new ArrayList<>();

    private KafkaEnds(AssemblyState state, @Nullable KafkaTransport kafka) {
        this.state = state;
        this.kafka = kafka;
    }

    /**
     * Sets up the ends of {@code kafkaEdges} (the Kafka connections with an end here), in order, until
     * Kafka turns out unreachable; problems and failures to start go to {@code state}.
     *
     * @param environment where {@code PORTFLOW_KAFKA_BOOTSTRAP} and {@code PORTFLOW_INSTANCE_ID} are looked
     *                    up; {@code null}: the process's
     * @param instanceId  {@code --instance-id}, which overrides {@code PORTFLOW_INSTANCE_ID}; or {@code null}
     */
    public static KafkaEnds connect(
            AssemblyState state,
            List<Edge> kafkaEdges,
            @Nullable Map<String, String> environment,
            @Nullable String instanceId) {
        String bootstrap = kafkaEdges.isEmpty()
                ? null
                : bootstrapServers(state, kafkaEdges.getFirst().spec(), environment);
        keyProblems(state, kafkaEdges);
        KafkaTransport kafka = null;
        if (bootstrap != null && !state.hasProblems()) { // Kafka is contacted only for a pipeline that can be built
            String instance =
                    KafkaSettings.instanceIdFrom(instanceId, environment != null ? environment : System.getenv());
            kafka = kafkaTransport(
                    state, bootstrap, instance, kafkaEdges.getFirst().spec());
        }
        KafkaEnds ends = new KafkaEnds(state, kafka);
        if (kafka != null) {
            for (Edge e : kafkaEdges) {
                if (!ends.setUp(e, kafka)) {
                    break; // Kafka is not reachable: the other connections would wait for it in vain
                }
            }
        }
        return ends;
    }

    /**
     * A problem at {@code key:} of each of {@code kafkaEdges} whose messages cannot have the key field
     * ({@link KafkaCodecs#keyProblem}): found before Kafka is contacted, as the blueprint's other problems.
     */
    private static void keyProblems(AssemblyState state, List<Edge> kafkaEdges) {
        for (Edge e : kafkaEdges) {
            String problem = KafkaCodecs.keyProblem(e);
            if (problem != null) {
                state.problem(
                        e.spec().position("key"),
                        problem,
                        "send JSON objects (a record, a Map, a JsonMessage) over it, or remove key");
            }
        }
    }

    /** The process's Kafka client, or {@code null} when no Kafka connection has an end here. */
    public @Nullable KafkaTransport transport() {
        return kafka;
    }

    /** Points each receiver at the depth of the input port it feeds in the built {@code pipeline}. */
    public void watch(Pipeline pipeline) {
        for (Receiving r : receiving) {
            r.receiver().watch(pipeline);
        }
    }

    /** Closes the Kafka client, if there is one: assembly failed. */
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * The Kafka bootstrap servers: {@code PORTFLOW_KAFKA_BOOTSTRAP} when set, else
     * {@code kafka.bootstrap_servers}; {@code null} with a problem at {@code first} when neither is.
     */
    private static @Nullable String bootstrapServers(
            AssemblyState state, ConnectionSpec first, @Nullable Map<String, String> variables) {
        Blueprint blueprint = state.blueprint();
        String configured = blueprint.kafka() != null ? blueprint.kafka().bootstrapServers() : null;
        Map<String, String> environment = variables != null ? variables : System.getenv();
        // none in the blueprint: blank, which (without the environment variable) is reported below
        String bootstrap = KafkaSettings.bootstrapFrom(configured != null ? configured : "", environment);
        if (bootstrap == null || bootstrap.isBlank()) {
            state.problem(
                    first.position("transport"),
                    "connection " + first.describe() + " runs over Kafka, but no Kafka bootstrap servers are set",
                    "add kafka: {bootstrap_servers: \"host:port\"} to the blueprint, or set the environment variable "
                            + KafkaSettings.BOOTSTRAP_ENV);
            return null;
        }
        return bootstrap;
    }

    /**
     * The process's connection to Kafka (contacted lazily), or {@code null} with a problem: a client
     * property Kafka refuses is a problem of the blueprint; bootstrap servers that do not resolve (their
     * form was validated) are a failure to start.
     */
    private static @Nullable KafkaTransport kafkaTransport(
            AssemblyState state, String bootstrap, @Nullable String instanceId, ConnectionSpec first) {
        Blueprint blueprint = state.blueprint();
        KafkaSpec spec = blueprint.kafka() != null ? blueprint.kafka() : KafkaSpec.defaults(blueprint.position());
        KafkaSettings settings;
        try {
            settings = KafkaSettings.of(bootstrap)
                    .withLagRefresh(Duration.ofMillis(spec.lagRefreshMs()))
                    .withClientProperties(spec.client())
                    .withInstanceId(instanceId);
        } catch (IllegalArgumentException e) { // the instance id: from --instance-id or the environment
            state.problem(
                    first.position("transport"),
                    String.valueOf(e.getMessage()),
                    "give --instance-id, or set " + KafkaSettings.INSTANCE_ID_ENV + ", to such a name");
            return null;
        }
        try {
            return KafkaTransport.create(settings);
        } catch (RuntimeException e) {
            Position at = blueprint.kafka() != null ? spec.position() : first.position("transport");
            String message = "cannot set up the Kafka client for " + bootstrap + ": " + ExceptionMessages.message(e);
            if (isConfigProblem(e)) {
                state.problem(at, message, null);
            } else {
                state.failure(at, message, null, e);
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
    private boolean setUp(Edge e, KafkaTransport kafka) {
        Blueprint blueprint = state.blueprint();
        PipelineBuilder builder = state.builder();
        ConnectionSpec c = e.spec();
        Endpoint from = e.fromEnd();
        Endpoint to = e.toEnd();
        String topic = e.topicIn(state.pipeline());
        KafkaSpec spec = blueprint.kafka() != null ? blueprint.kafka() : KafkaSpec.defaults(blueprint.position());
        String schemaName = e.from()
                .spec()
                .port(from.port())
                .map(PortSpec::schema)
                .or(() -> e.to().spec().port(to.port()).map(PortSpec::schema))
                .orElse(null);
        try {
            KafkaEdge edge = new KafkaEdge(
                    state.pipeline(),
                    from.component(),
                    from.port(),
                    to.component(),
                    to.port(),
                    topic,
                    ConnectionDefaults.bufferSize(c));
            Long partitions = c.partitions();
            if (partitions != null) { // validated: 1 to MAX_PARTITIONS; both ends ask for it (either may create it)
                edge = edge.withPartitions(partitions.intValue());
            }
            MessageCodec<Object> codec = KafkaCodecs.forEdge(
                    e, schemaName == null ? null : state.schemas().get(schemaName));
            if (state.runsHere(from.component())) {
                builder.connect(
                        from.toString(),
                        kafka.sendingLink(edge, codec),
                        ConnectionDefaults.options(c, e.from().recipe()));
            }
            if (state.runsHere(to.component())) {
                KafkaReceiver<Object> receiver = kafka.receiver(edge, codec, spec.prefetch());
                String name = Names.receiverName(to);
                builder.component(name, receiver);
                builder.connect(
                        name + "." + RECEIVER_PORT,
                        to.toString(),
                        ConnectionOptions.defaults().capacity(spec.prefetch()).overflow(OverflowPolicy.BLOCK));
                builder.bindRemote(to.toString(), receiver.backlog());
                receiving.add(new Receiving(receiver, to));
            }
            return true;
        } catch (KafkaTransportException ex) {
            state.failure(
                    c.position("transport"),
                    "cannot set up kafka connection " + c.describe() + " (topic " + topic + "): "
                            + ExceptionMessages.message(ex),
                    "is Kafka reachable at " + kafka.settings().bootstrapServers() + "?",
                    ex);
            return false;
        } catch (RuntimeException ex) {
            state.problem(
                    c.position("transport"),
                    "cannot set up kafka connection " + c.describe() + " (topic " + topic + "): "
                            + ExceptionMessages.message(ex),
                    null);
            return true;
        }
    }
}
