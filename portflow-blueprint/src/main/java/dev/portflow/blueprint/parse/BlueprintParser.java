package dev.portflow.blueprint.parse;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.model.KafkaSpec;
import dev.portflow.blueprint.model.MetricsSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.model.SchemaSpec;
import dev.portflow.blueprint.model.ServerSpec;
import dev.portflow.blueprint.model.TracingSpec;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.json.StrictJson;
import dev.portflow.runtime.Workers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML text to the {@link Blueprint} model. Reports the problems of shape (syntax, unknown keys,
 * wrong types, missing names) and keeps going, so validation can report the rest at the same time.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint} (the loader parses with
 * it) and {@code dev.portflow.blueprint.validate} ({@link #quotedNumberHint}).
 */
public final class BlueprintParser {

    static final List<String> TOP_LEVEL_KEYS = List.of(
            "name", "server", "schemas", "components", "connections", "kafka", "data_dir", "tracing", "metrics");
    static final List<String> SERVER_KEYS = List.of(
            "host",
            "port",
            "max_connections",
            "max_concurrent_requests",
            "max_header_bytes",
            "idle_timeout_ms",
            "read_timeout_ms");
    static final List<String> COMPONENT_KEYS =
            List.of("name", "recipe", "class", "config", "inputs", "outputs", "workers", "ordering", "key");
    static final List<String> PORT_KEYS = List.of("name", "schema");
    static final List<String> CONNECTION_KEYS = List.of(
            "from",
            "to",
            "buffer_size",
            "overflow",
            "timeout_ms",
            "transport",
            "topic",
            "max_bytes",
            "partitions",
            "key");
    static final List<String> KAFKA_KEYS = List.of("bootstrap_servers", "client", "lag_refresh_ms", "prefetch");
    static final List<String> TRACING_KEYS = List.of("sample_ratio", "slow_ms");
    static final List<String> METRICS_KEYS = List.of("otlp_endpoint", "step_s");
    /** Client properties Portflow sets itself: overriding them would break the transport. */
    static final List<String> RESERVED_CLIENT_PROPERTIES = List.of(
            "bootstrap.servers",
            "group.id",
            "enable.auto.commit",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer");
    /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern BOOTSTRAP_SERVER =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):([0-9]{1,5})");

    /**
     * Components in one blueprint at most: a pipeline of thousands of components validates in a
     * second or two; far more would not be a pipeline anyone can read.
     */
    static final int MAX_COMPONENTS = 10_000;
    /** Connections in one blueprint at most: room for a wide fan-out of every component. */
    static final int MAX_CONNECTIONS = 50_000;

    /** A limit of the server: its key, bounds, the server's default and what it is. */
    private record ServerLimit(String key, long min, long max, long defaultValue, String what) {}

    private static final List<ServerLimit> SERVER_LIMITS = List.of(
            new ServerLimit("max_connections", 1, 100_000, 2048, "open TCP connections at most"),
            new ServerLimit(
                    "max_concurrent_requests",
                    1,
                    100_000,
                    1024,
                    "requests handled at once; beyond it the server answers 503"),
            new ServerLimit(
                    "max_header_bytes",
                    1024,
                    1024 * 1024,
                    16 * 1024,
                    "the request line and headers together, in bytes"),
            new ServerLimit(
                    "idle_timeout_ms",
                    1000,
                    86_400_000,
                    30_000,
                    "a connection without a request for this long is closed"),
            new ServerLimit(
                    "read_timeout_ms",
                    1,
                    3_600_000,
                    10_000,
                    "a client that sends nothing for this long in the middle of a request is cut off"));

    private static final JsonMapper JSON = StrictJson.mapper();

    /**
     * The model (absent when the text is not a YAML mapping, or is too large) and the problems found.
     *
     * @param faulty    where values start that have a problem of their own (an unset environment
     *                  variable, a tag that does not fit, a broken alias): other problems there follow from it
     * @param ownOfFaulty those problems themselves
     */
    public record Result(
            Optional<Blueprint> blueprint, List<Problem> problems, Set<Position> faulty, List<Problem> ownOfFaulty) {

        /** Whether {@code problem} only follows from a value's own problem at the same place. */
        @SuppressWarnings("ReferenceEquality") // identity: only the own problem objects stay; an equal repeat goes
        public boolean followsFromFaultyValue(Problem problem) {
            return faulty.contains(problem.position()) && ownOfFaulty.stream().noneMatch(p -> p == problem);
        }
    }

    private final String file;
    private final @Nullable Path path;
    private final @Nullable EnvironmentVariables environment;
    private final List<Problem> problems = new ArrayList<>();
    private Set<Position> faulty = Set.of();
    private final List<Problem> fromComposer = new ArrayList<>();
    /** Set when the blueprint is beyond a size limit: it is refused without validating the rest. */
    private boolean refused;

    private BlueprintParser(String file, @Nullable Path path, @Nullable EnvironmentVariables environment) {
        this.file = file;
        this.path = path;
        this.environment = environment;
    }

    /** Parses {@code text}, replacing {@code ${NAME}} in values from {@code environment} ({@code null}: no substitution). */
    public static Result parse(
            String file, @Nullable Path path, String text, @Nullable EnvironmentVariables environment) {
        BlueprintParser parser = new BlueprintParser(file, path, environment);
        Blueprint blueprint = parser.run(text);
        return new Result(
                Optional.ofNullable(parser.refused ? null : blueprint),
                List.copyOf(parser.problems),
                Set.copyOf(parser.faulty),
                List.copyOf(parser.fromComposer));
    }

    private void problem(Position at, String message, @Nullable String hint) {
        problems.add(Problem.at(file, at, message, hint));
    }

    private @Nullable Blueprint run(String text) {
        YamlNode tree;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(file)
                    .setCodePointLimit(BlueprintText.MAX_BYTES + 1) // BlueprintText refused anything larger
                    .build();
            YamlComposer composer = new YamlComposer(
                    (at, message, hint) -> {
                        problem(at, message, hint);
                        fromComposer.add(problems.getLast());
                    },
                    environment);
            Optional<YamlNode> composed = composer.compose(text, settings);
            faulty = composer.faulty();
            if (composer.tooDeep()) {
                refused = true;
                return null;
            }
            if (composed.isEmpty()) {
                problem(
                        Position.START,
                        "the blueprint is empty",
                        "a blueprint is a mapping with name:, components: and connections:");
                return null;
            }
            tree = composed.get();
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String context = e.getContext() == null
                    ? null
                    : e.getContext()
                            + e.getContextMark()
                                    .map(m -> " that started at line " + (m.getLine() + 1) + ", column "
                                            + (m.getColumn() + 1))
                                    .orElse("");
            Position at = mark.map(BlueprintParser::position).orElse(Position.START);
            problem(
                    at,
                    "YAML syntax error: " + e.getProblem(),
                    startsVariable(text, at)
                            ? "in flow style ({...}, [...]) a ${...} value must be quoted:"
                                    + " \"${NAME}\"; for a number write !!int \"${NAME}\" or use block style"
                            : context);
            return null;
        } catch (YamlEngineException e) {
            problem(Position.START, "YAML error: " + e.getMessage(), null);
            return null;
        }
        if (!(tree instanceof YamlNode.Mapping top)) {
            problem(
                    tree.position(),
                    "a blueprint must be a mapping, found " + tree.describe(),
                    "start with name: <pipeline name>, then components: and connections:");
            return null;
        }
        return blueprint(top);
    }

    /** Whether the character at {@code at} is the '{' of a {@code ${...}}: an unquoted variable in flow style. */
    private static boolean startsVariable(String text, Position at) {
        int lineStart = 0;
        for (int line = 1; line < at.line() && lineStart >= 0; line++) {
            lineStart = text.indexOf('\n', lineStart) + 1;
            if (lineStart == 0) {
                return false;
            }
        }
        int i = lineStart + at.column() - 1;
        return i > 0 && i < text.length() && text.charAt(i) == '{' && text.charAt(i - 1) == '$';
    }

    static Position position(Mark mark) {
        return new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    // ---------------------------------------------------------------- the model

    private Blueprint blueprint(YamlNode.Mapping top) {
        Map<String, Position> positions = new LinkedHashMap<>();
        String name = null;
        ServerSpec server = ServerSpec.defaults(top.position());
        Map<String, SchemaSpec> schemas = new LinkedHashMap<>();
        List<ComponentSpec> components = new ArrayList<>();
        List<ConnectionSpec> connections = new ArrayList<>();
        KafkaSpec kafka = null;
        String dataDir = null;
        TracingSpec tracing = null;
        MetricsSpec metrics = null;
        for (YamlNode.Entry e : top.entries()) {
            positions.put(e.key(), e.value().position());
            switch (e.key()) {
                case "name" -> name = text(e.value(), "name");
                case "server" -> server = server(e.value());
                case "schemas" -> schemas(e.value(), schemas);
                case "components" -> {
                    List<YamlNode> items = list(e.value(), "components");
                    if (withinLimit(items, MAX_COMPONENTS, "components")) {
                        for (YamlNode item : items) {
                            component(item).ifPresent(components::add);
                        }
                    }
                    if (items.isEmpty() && (isNull(e.value()) || e.value() instanceof YamlNode.Sequence)) {
                        problem(
                                e.value().position(),
                                "the pipeline has no components",
                                "add at least one component under components:, e.g. - {name: gen, recipe: generator,"
                                        + " config: {rate: 1}}");
                    }
                }
                case "connections" -> {
                    List<YamlNode> items = list(e.value(), "connections");
                    if (withinLimit(items, MAX_CONNECTIONS, "connections")) {
                        for (YamlNode item : items) {
                            connection(item).ifPresent(connections::add);
                        }
                    }
                }
                case "kafka" -> {
                    if (e.value() instanceof YamlNode.Mapping m) {
                        kafka = kafka(m);
                    } else if (!isNull(e.value())) {
                        problem(
                                e.value().position(),
                                "kafka must be a mapping, found " + e.value().describe(),
                                "e.g. kafka: {bootstrap_servers: \"localhost:9092\"}");
                    }
                }
                case "data_dir" -> dataDir = dataDir(e.value());
                case "tracing" -> tracing = tracing(e.value());
                case "metrics" -> metrics = metrics(e.value());
                default -> unknownKey(e, TOP_LEVEL_KEYS, "top-level key", "a blueprint has");
            }
        }
        if (!positions.containsKey("name")) {
            problem(top.position(), "the blueprint has no name", "add name: <pipeline name> at the top");
        }
        if (!positions.containsKey("components")) {
            problem(top.position(), "the blueprint has no components", "add components: with at least one component");
        }
        return new Blueprint(
                file,
                path,
                name,
                server,
                schemas,
                components,
                connections,
                kafka,
                dataDir,
                tracing,
                metrics,
                top.position(),
                positions);
    }

    /** {@code data_dir}: a directory's path, or {@code null} with a problem (blank is validation's). */
    private @Nullable String dataDir(YamlNode node) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        problem(
                node.position(),
                "data_dir must be a string, found " + node.describe(),
                "the directory of the logs of transport: disk connections, e.g. data_dir: ./portflow-data/orders");
        return null;
    }

    /**
     * {@code tracing:}: the section (written without a value: on, with the defaults), or {@code null} with a
     * problem. Each key left out, or written without a value, is the default of the tracing implementation.
     */
    private @Nullable TracingSpec tracing(YamlNode node) {
        if (isNull(node)) {
            return new TracingSpec(null, null, new YamlNode.Mapping(List.of(), node.position()));
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(
                    node.position(),
                    "tracing must be a mapping, found " + node.describe(),
                    "e.g. tracing: {sample_ratio: 0.01, slow_ms: 500}");
            return null;
        }
        Double sampleRatio = null;
        Long slowMs = null;
        for (YamlNode.Entry e : m.entries()) {
            if (isNull(e.value()) && TRACING_KEYS.contains(e.key())) {
                continue; // no value: the default
            }
            switch (e.key()) {
                case "sample_ratio" -> sampleRatio = sampleRatio(e.value());
                case "slow_ms" -> {
                    Long ms = integer(e.value(), "tracing slow_ms");
                    if (ms != null && ms < 0) {
                        problem(
                                e.value().position(),
                                "tracing slow_ms must be 0 or more, was " + ms,
                                "the age in milliseconds from which a message not sampled at its entry is traced;"
                                        + " the default is 1000");
                    } else {
                        slowMs = ms;
                    }
                }
                default -> unknownKey(e, TRACING_KEYS, "tracing key", "tracing has");
            }
        }
        return new TracingSpec(sampleRatio, slowMs, m);
    }

    /**
     * {@code metrics:}: the section (written without a value: OTLP export on, to the environment's endpoint), or
     * {@code null} with a problem. Each key left out, or written without a value, is the environment's or the
     * default.
     */
    private @Nullable MetricsSpec metrics(YamlNode node) {
        String example = "e.g. metrics: {otlp_endpoint: \"http://collector:4318/v1/metrics\", step_s: 10}";
        if (isNull(node)) {
            return new MetricsSpec(null, null, new YamlNode.Mapping(List.of(), node.position()));
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(node.position(), "metrics must be a mapping, found " + node.describe(), example);
            return null;
        }
        String endpoint = null;
        Long stepS = null;
        for (YamlNode.Entry e : m.entries()) {
            if (isNull(e.value()) && METRICS_KEYS.contains(e.key())) {
                continue; // no value: the environment's, else the default
            }
            switch (e.key()) {
                case "otlp_endpoint" -> endpoint = otlpEndpoint(e.value());
                case "step_s" -> {
                    Long s = integer(e.value(), "metrics step_s");
                    if (s != null && (s < 1 || s > MetricsSpec.MAX_STEP_S)) {
                        problem(
                                e.value().position(),
                                "metrics step_s must be between 1 and " + MetricsSpec.MAX_STEP_S + ", was " + s,
                                "the seconds between two pushes over OTLP; the default is OTEL_METRIC_EXPORT_INTERVAL,"
                                        + " else 60");
                    } else {
                        stepS = s;
                    }
                }
                default -> unknownKey(e, METRICS_KEYS, "metrics key", "metrics has");
            }
        }
        return new MetricsSpec(endpoint, stepS, m);
    }

    /** {@code metrics: {otlp_endpoint: ...}}: an http or https URL, or {@code null} with a problem. */
    private @Nullable String otlpEndpoint(YamlNode node) {
        String hint = "the OTLP/HTTP endpoint of the collector, e.g. http://collector:4318/v1/metrics"
                + " (/v1/metrics is added when the URL does not end with it)";
        if (!(node instanceof YamlNode.Scalar s) || s.kind() != YamlNode.Scalar.Kind.STRING) {
            problem(node.position(), "metrics otlp_endpoint must be a URL, found " + node.describe(), hint);
            return null;
        }
        String wrong = MetricsSpec.endpointProblem(s.text());
        if (wrong != null) {
            problem(node.position(), "metrics otlp_endpoint '" + s.text() + "' " + wrong, hint);
            return null;
        }
        return s.text().strip();
    }

    /** {@code tracing: {sample_ratio: ...}}: a number from 0 to 1, or {@code null} with a problem. */
    private @Nullable Double sampleRatio(YamlNode node) {
        String hint = "the share of entering messages traced: 0.01 traces one in a hundred, 1 every one;"
                + " the default is 0.01";
        if (node instanceof YamlNode.Scalar s
                && (s.kind() == YamlNode.Scalar.Kind.INTEGER || s.kind() == YamlNode.Scalar.Kind.FLOAT)) {
            double ratio =
                    s.kind() == YamlNode.Scalar.Kind.INTEGER ? s.integerValue().doubleValue() : s.floatValue();
            if (ratio >= 0.0 && ratio <= 1.0) {
                return ratio;
            }
            problem(node.position(), "tracing sample_ratio must be between 0 and 1, was " + s.text(), hint);
            return null;
        }
        String quoted = quotedNumberHint(node);
        problem(
                node.position(),
                "tracing sample_ratio must be a number between 0 and 1, found " + node.describe(),
                quoted != null ? quoted : hint);
        return null;
    }

    /** Whether {@code items} is within {@code max}; else the blueprint is refused, with a problem at the first one too many. */
    private boolean withinLimit(List<YamlNode> items, int max, String what) {
        if (items.size() <= max) {
            return true;
        }
        problem(
                items.get(max).position(),
                "the blueprint has more than " + max + " " + what,
                "split the pipeline into several blueprints, connected with transport: kafka");
        refused = true;
        return false;
    }

    private void unknownKey(YamlNode.Entry e, List<String> known, String what, String owner) {
        String near = Suggestions.nearest(e.key(), known);
        problem(
                e.keyPosition(),
                "unknown " + what + " '" + e.key() + "'",
                (near != null ? "did you mean '" + near + "'? " : "") + owner + " " + String.join(", ", known));
    }

    private ServerSpec server(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            if (!isNull(node)) {
                problem(
                        node.position(),
                        "server must be a mapping, found " + node.describe(),
                        "e.g. server: {host: 127.0.0.1, port: 8080}");
            }
            return ServerSpec.defaults(node.position());
        }
        String host = ServerSpec.DEFAULT_HOST;
        int port = ServerSpec.DEFAULT_PORT;
        Map<String, Long> limits = new LinkedHashMap<>();
        Map<String, Position> positions = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
            positions.put(e.key(), e.value().position());
            ServerLimit limit = SERVER_LIMITS.stream()
                    .filter(l -> l.key().equals(e.key()))
                    .findFirst()
                    .orElse(null);
            if (limit != null) {
                if (!isNull(e.value())) {
                    Long value = serverLimit(e.value(), limit);
                    if (value != null) {
                        limits.put(limit.key(), value);
                    }
                }
                continue;
            }
            switch (e.key()) {
                case "host" -> {
                    String h = text(e.value(), "server host");
                    if (h != null) {
                        String wrong = HostNames.problem(h);
                        if (wrong != null) {
                            problem(e.value().position(), wrong, HostNames.hint(h));
                        } else {
                            host = h;
                        }
                    }
                }
                case "port" -> {
                    Long p = integer(e.value(), "server port");
                    if (p != null && (p < 0 || p > 65535)) {
                        problem(
                                e.value().position(),
                                "server port must be 0..65535, was " + p,
                                "0 picks a free port; the default is 8080");
                    } else if (p != null) {
                        port = p.intValue();
                    }
                }
                default -> unknownKey(e, SERVER_KEYS, "server key", "server has");
            }
        }
        return new ServerSpec(
                host,
                port,
                toInt(limits.get("max_connections")),
                toInt(limits.get("max_concurrent_requests")),
                toInt(limits.get("max_header_bytes")),
                toMillis(limits.get("idle_timeout_ms")),
                toMillis(limits.get("read_timeout_ms")),
                m.position(),
                positions);
    }

    /** One of the server's limits, or {@code null} with a problem. */
    private @Nullable Long serverLimit(YamlNode value, ServerLimit limit) {
        Long n = integer(value, "server " + limit.key());
        if (n != null && (n < limit.min() || n > limit.max())) {
            problem(
                    value.position(),
                    "server " + limit.key() + " must be between " + limit.min() + " and " + limit.max() + ", was " + n,
                    limit.what() + "; the default is " + limit.defaultValue());
            return null;
        }
        return n;
    }

    private static @Nullable Integer toInt(@Nullable Long value) {
        return value == null ? null : value.intValue();
    }

    private static @Nullable Duration toMillis(@Nullable Long value) {
        return value == null ? null : Duration.ofMillis(value);
    }

    private KafkaSpec kafka(YamlNode.Mapping m) {
        String bootstrap = null;
        Map<String, String> client = new LinkedHashMap<>();
        int lagRefreshMs = KafkaSpec.DEFAULT_LAG_REFRESH_MS;
        int prefetch = KafkaSpec.DEFAULT_PREFETCH;
        for (YamlNode.Entry e : m.entries()) {
            if (isNull(e.value()) && KAFKA_KEYS.contains(e.key())) {
                continue; // no value: the default
            }
            switch (e.key()) {
                case "bootstrap_servers" -> {
                    String text = text(e.value(), "kafka bootstrap_servers");
                    if (text != null && !isBootstrapServers(text)) {
                        problem(
                                e.value().position(),
                                "kafka bootstrap_servers must be host:port[,host:port...], was '" + text + "'",
                                "e.g. bootstrap_servers: \"localhost:9092\"");
                    } else if (text != null) {
                        bootstrap = text.trim();
                    }
                }
                case "client" -> client(e.value(), client);
                case "lag_refresh_ms" -> {
                    Long ms = integer(e.value(), "kafka lag_refresh_ms");
                    if (ms != null && ms < 10) {
                        problem(
                                e.value().position(),
                                "kafka lag_refresh_ms must be at least 10, was " + ms,
                                "how often the consumer lag (a Kafka connection's depth) is read, in milliseconds;"
                                        + " the default is " + KafkaSpec.DEFAULT_LAG_REFRESH_MS);
                    } else if (ms != null && ms > Integer.MAX_VALUE) {
                        problem(
                                e.value().position(),
                                "kafka lag_refresh_ms " + ms + " is too large",
                                "the default is " + KafkaSpec.DEFAULT_LAG_REFRESH_MS);
                    } else if (ms != null) {
                        lagRefreshMs = ms.intValue();
                    }
                }
                case "prefetch" -> {
                    Long n = integer(e.value(), "kafka prefetch");
                    if (n != null && n < 1) {
                        problem(
                                e.value().position(),
                                "kafka prefetch must be at least 1, was " + n,
                                "records read ahead of each receiving component; the default is "
                                        + KafkaSpec.DEFAULT_PREFETCH);
                    } else if (n != null && n > 1_000_000) {
                        problem(
                                e.value().position(),
                                "kafka prefetch must be at most 1000000, was " + n,
                                "records read ahead of each receiving component; the default is "
                                        + KafkaSpec.DEFAULT_PREFETCH);
                    } else if (n != null) {
                        prefetch = n.intValue();
                    }
                }
                default -> unknownKey(e, KAFKA_KEYS, "kafka key", "kafka has");
            }
        }
        return new KafkaSpec(bootstrap, client, lagRefreshMs, prefetch, m);
    }

    static boolean isBootstrapServers(String text) {
        String[] servers = text.trim().split(",", -1);
        for (String server : servers) {
            Matcher matcher = BOOTSTRAP_SERVER.matcher(server.trim());
            if (!matcher.matches()) {
                return false;
            }
            int port = Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65535) {
                return false;
            }
        }
        return !text.isBlank();
    }

    private void client(YamlNode node, Map<String, String> client) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(
                    node.position(),
                    "kafka client must be a mapping of Kafka client properties, found " + node.describe(),
                    "e.g. client: {security.protocol: SSL}");
            return;
        }
        for (YamlNode.Entry e : m.entries()) {
            if (RESERVED_CLIENT_PROPERTIES.contains(e.key())) {
                problem(
                        e.keyPosition(),
                        "kafka client property '" + e.key() + "' is set by Portflow",
                        e.key().equals("bootstrap.servers")
                                ? "use kafka: {bootstrap_servers: ...}, or the environment variable PORTFLOW_KAFKA_BOOTSTRAP"
                                : "remove it; Portflow sets it for its producers and consumers");
                continue;
            }
            if (e.value() instanceof YamlNode.Scalar s && !s.isNull()) {
                client.put(e.key(), s.text());
            } else {
                problem(
                        e.value().position(),
                        "kafka client property '" + e.key() + "' must be a string, found "
                                + e.value().describe(),
                        "Kafka client properties are strings, e.g. security.protocol: SSL");
            }
        }
    }

    private void schemas(YamlNode node, Map<String, SchemaSpec> schemas) {
        if (!(node instanceof YamlNode.Mapping m)) {
            if (!isNull(node)) {
                problem(
                        node.position(),
                        "schemas must be a mapping of names to JSON Schemas, found " + node.describe(),
                        "e.g. schemas: {Order: {type: object, required: [id]}}");
            }
            return;
        }
        for (YamlNode.Entry e : m.entries()) {
            YamlNode schema = e.value();
            boolean isBoolean = schema instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.BOOLEAN;
            if (!(schema instanceof YamlNode.Mapping) && !isBoolean) {
                problem(
                        schema.position(),
                        "schema '" + e.key() + "' must be a JSON Schema (a mapping), found " + schema.describe(),
                        "e.g. " + e.key() + ": {type: object, required: [id]}");
                continue;
            }
            JsonNode json;
            try {
                json = JSON.valueToTree(schema.toJava());
            } catch (JacksonException notJson) { // YAML can say .nan or .inf, JSON cannot
                problem(
                        schema.position(),
                        "schema '" + e.key() + "' is not JSON: " + notJson.getOriginalMessage(),
                        "a JSON Schema holds finite numbers only");
                continue;
            }
            schemas.put(e.key(), new SchemaSpec(e.key(), json, schema, e.keyPosition()));
        }
    }

    private Optional<ComponentSpec> component(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(
                    node.position(),
                    "a component must be a mapping, found " + node.describe(),
                    "e.g. - {name: big, recipe: filter, config: {condition: \"amount > 100\"}}");
            return Optional.empty();
        }
        String name = null;
        String recipe = null;
        String className = null;
        Map<String, ConfigEntry> config = new LinkedHashMap<>();
        List<PortSpec> inputs = new ArrayList<>();
        List<PortSpec> outputs = new ArrayList<>();
        Workers workers = null;
        String ordering = null;
        YamlNode.Scalar key = null;
        Map<String, Position> positions = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
            if ((e.key().equals("ordering") || e.key().equals("key")) && isNull(e.value())) {
                continue; // no value: as if not written (no ordering), so a position means a value was given
            }
            positions.put(e.key(), e.value().position());
            switch (e.key()) {
                case "name" -> name = text(e.value(), "component name");
                case "recipe" -> recipe = text(e.value(), "recipe");
                case "class" -> className = text(e.value(), "class");
                case "config" -> {
                    if (e.value() instanceof YamlNode.Mapping c) {
                        for (YamlNode.Entry ce : c.entries()) {
                            config.put(ce.key(), new ConfigEntry(ce.key(), ce.keyPosition(), ce.value()));
                        }
                    } else if (!isNull(e.value())) {
                        problem(
                                e.value().position(),
                                "config must be a mapping, found " + e.value().describe(),
                                "e.g. config: {path: /orders}");
                    }
                }
                case "inputs" -> ports(e.value(), "inputs", inputs);
                case "outputs" -> ports(e.value(), "outputs", outputs);
                case "workers" -> workers = WorkersSyntax.parse(e.value(), this::problem);
                case "ordering" -> ordering = text(e.value(), "ordering");
                case "key" -> key = keyExpression(e.value());
                default -> unknownKey(e, COMPONENT_KEYS, "component key", "a component has");
            }
        }
        if (!positions.containsKey("name")) {
            problem(m.position(), "a component has no name", "add name: <component name>");
        }
        return Optional.of(new ComponentSpec(
                name, recipe, className, config, inputs, outputs, workers, ordering, key, m.position(), positions));
    }

    /** {@code key:}: a field name or CEL expression, any scalar as its text; {@code null} with a problem. */
    private YamlNode.@Nullable Scalar keyExpression(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            return s;
        }
        problem(
                node.position(),
                "key must be a field name or a CEL expression, found " + node.describe(),
                "e.g. key: customer_id, or key: \"customer.id\"");
        return null;
    }

    private void ports(YamlNode node, String what, List<PortSpec> ports) {
        for (YamlNode item : list(node, what)) {
            if (item instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING) {
                ports.add(new PortSpec(s.text(), null, s.position(), null));
                continue;
            }
            if (!(item instanceof YamlNode.Mapping m)) {
                problem(
                        item.position(),
                        "a port in " + what + " must be a mapping, found " + item.describe(),
                        "e.g. {name: out_requests, schema: Order}");
                continue;
            }
            String name = null;
            Position namePosition = m.position();
            String schema = null;
            Position schemaPosition = null;
            for (YamlNode.Entry e : m.entries()) {
                switch (e.key()) {
                    case "name" -> {
                        name = text(e.value(), "port name");
                        namePosition = e.value().position();
                    }
                    case "schema" -> {
                        schema = text(e.value(), "port schema (a name from schemas:)");
                        schemaPosition = e.value().position();
                    }
                    default -> unknownKey(e, PORT_KEYS, "port key", "a port has");
                }
            }
            if (name == null) {
                if (m.entry("name") == null) {
                    problem(m.position(), "a port in " + what + " has no name", "add name: <port name>");
                }
                continue;
            }
            ports.add(new PortSpec(name, schema, namePosition, schemaPosition));
        }
    }

    private Optional<ConnectionSpec> connection(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(
                    node.position(),
                    "a connection must be a mapping, found " + node.describe(),
                    "e.g. - {from: api.out_requests, to: big.in_orders}");
            return Optional.empty();
        }
        Endpoint from = null;
        Endpoint to = null;
        Integer bufferSize = null;
        String overflow = null;
        Long timeoutMs = null;
        String transport = null;
        String topic = null;
        Long maxBytes = null;
        Long partitions = null;
        String key = null;
        Map<String, Position> positions = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
            positions.put(e.key(), e.value().position());
            switch (e.key()) {
                case "from" -> from = endpoint(e.value(), "from", "api.out_requests");
                case "to" -> to = endpoint(e.value(), "to", "big.in_orders");
                case "buffer_size" -> {
                    Long size = integer(e.value(), "buffer_size");
                    if (size != null) {
                        bufferSize = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, size));
                        if (size > Integer.MAX_VALUE) {
                            problem(
                                    e.value().position(),
                                    "buffer_size " + size + " is too large",
                                    "at most " + Integer.MAX_VALUE + "; the default is 1024");
                            bufferSize = null;
                        }
                    }
                }
                case "overflow" -> overflow = text(e.value(), "overflow");
                case "timeout_ms" -> timeoutMs = integer(e.value(), "timeout_ms");
                case "transport" -> transport = text(e.value(), "transport");
                case "topic" -> topic = text(e.value(), "topic");
                case "max_bytes" -> maxBytes = integer(e.value(), "max_bytes");
                case "partitions" -> partitions = integer(e.value(), "partitions");
                case "key" -> key = text(e.value(), "key");
                default -> unknownKey(e, CONNECTION_KEYS, "connection key", "a connection has");
            }
        }
        if (!positions.containsKey("from")) {
            problem(m.position(), "a connection has no from:", "add from: <component>.<out_port>");
        }
        if (!positions.containsKey("to")) {
            problem(m.position(), "a connection has no to:", "add to: <component>.<in_port>");
        }
        return Optional.of(new ConnectionSpec(
                from,
                to,
                bufferSize,
                overflow,
                timeoutMs,
                transport,
                topic,
                maxBytes,
                partitions,
                key,
                m.position(),
                positions));
    }

    private @Nullable Endpoint endpoint(YamlNode node, String key, String example) {
        String text = text(node, key);
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            problem(
                    node.position(),
                    key + " must be <component>.<port>, was '" + text + "'",
                    "e.g. " + key + ": " + example);
            return null;
        }
        Position at = node.position();
        int quote = node instanceof YamlNode.Scalar s && s.quoted() ? 1 : 0;
        Position portAt = text.indexOf('\n') < 0 ? at.plusColumns(quote + dot + 1) : at;
        return new Endpoint(text.substring(0, dot), text.substring(dot + 1), at.plusColumns(quote), portAt);
    }

    // ---------------------------------------------------------------- scalars

    private static boolean isNull(YamlNode node) {
        return node instanceof YamlNode.Scalar s && s.isNull();
    }

    private List<YamlNode> list(YamlNode node, String what) {
        if (node instanceof YamlNode.Sequence s) {
            return s.items();
        }
        if (!isNull(node)) {
            problem(
                    node.position(),
                    what + " must be a list, found " + node.describe(),
                    "write each entry on its own line starting with '- '");
        }
        return List.of();
    }

    /** A scalar's text (numbers and booleans as written), or {@code null} with a problem. */
    private @Nullable String text(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        problem(node.position(), what + " must be a string, found " + node.describe(), null);
        return null;
    }

    /** An integer, or {@code null} with a problem. */
    private @Nullable Long integer(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INTEGER) {
            Number n = s.integerValue();
            if (n instanceof Long l) {
                return l;
            }
            problem(node.position(), what + " " + s.text() + " is too large", null);
            return null;
        }
        problem(node.position(), what + " must be an integer, found " + node.describe(), quotedNumberHint(node));
        return null;
    }

    /** A hint for a number written in quotes where a number belongs, else {@code null}. */
    public static @Nullable String quotedNumberHint(YamlNode node) {
        if (node instanceof YamlNode.Scalar s
                && s.kind() == YamlNode.Scalar.Kind.STRING
                && s.text().matches("[-+]?[0-9][0-9_.]*")) {
            return "write " + s.text() + " without quotes";
        }
        return null;
    }
}
