package dev.portflow.blueprint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML text to the {@link Blueprint} model. Reports the problems of shape (syntax, unknown keys,
 * wrong types, missing names) and keeps going, so validation can report the rest at the same time.
 */
final class BlueprintParser {

    static final List<String> TOP_LEVEL_KEYS = List.of("name", "server", "schemas", "components", "connections", "kafka");
    static final List<String> SERVER_KEYS = List.of("host", "port");
    static final List<String> COMPONENT_KEYS = List.of("name", "recipe", "class", "config", "inputs", "outputs");
    static final List<String> PORT_KEYS = List.of("name", "schema");
    static final List<String> CONNECTION_KEYS =
            List.of("from", "to", "buffer_size", "overflow", "timeout_ms", "transport", "topic");
    static final List<String> KAFKA_KEYS = List.of("bootstrap_servers", "client", "lag_refresh_ms", "prefetch");
    /** Client properties Portflow sets itself: overriding them would break the transport. */
    static final List<String> RESERVED_CLIENT_PROPERTIES = List.of("bootstrap.servers", "group.id", "enable.auto.commit",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");
    /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern BOOTSTRAP_SERVER =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):([0-9]{1,5})");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DEPTH = 100;
    private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

    /** The model (absent when the text is not a YAML mapping) and the problems found. */
    record Result(Optional<Blueprint> blueprint, List<Problem> problems) {
    }

    private final String file;
    private final Path path;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Node, Boolean> converting = new IdentityHashMap<>();

    private BlueprintParser(String file, Path path) {
        this.file = file;
        this.path = path;
    }

    static Result parse(String file, Path path, String text) {
        BlueprintParser parser = new BlueprintParser(file, path);
        Blueprint blueprint = parser.run(text);
        return new Result(Optional.ofNullable(blueprint), List.copyOf(parser.problems));
    }

    private void problem(Position at, String message, String hint) {
        problems.add(Problem.at(file, at, message, hint));
    }

    private Blueprint run(String text) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(file)
                    .setSchema(new CoreSchema())
                    .setAllowDuplicateKeys(true) // reported below, with both positions
                    .setMaxAliasesForCollections(50)
                    .setCodePointLimit(MAX_CODE_POINTS)
                    .build();
            Optional<Node> composed = new Compose(settings).composeString(text);
            if (composed.isEmpty()) {
                problem(Position.START, "the blueprint is empty",
                        "a blueprint is a mapping with name:, components: and connections:");
                return null;
            }
            root = composed.get();
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String context = e.getContext() == null ? null
                    : e.getContext() + e.getContextMark().map(m -> " that started at line " + (m.getLine() + 1)
                            + ", column " + (m.getColumn() + 1)).orElse("");
            problem(mark.map(BlueprintParser::position).orElse(Position.START),
                    "YAML syntax error: " + e.getProblem(), context);
            return null;
        } catch (YamlEngineException e) {
            problem(Position.START, "YAML error: " + e.getMessage(), null);
            return null;
        }
        YamlNode tree = convert(root, 0);
        if (!(tree instanceof YamlNode.Mapping top)) {
            problem(tree.position(), "a blueprint must be a mapping, found " + tree.describe(),
                    "start with name: <pipeline name>, then components: and connections:");
            return null;
        }
        return blueprint(top);
    }

    static Position position(Mark mark) {
        return new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static Position startOf(Node node) {
        return node.getStartMark().map(BlueprintParser::position).orElse(Position.START);
    }

    // ---------------------------------------------------------------- YAML nodes to YamlNode

    private YamlNode convert(Node node, int depth) {
        Position at = startOf(node);
        if (depth > MAX_DEPTH || converting.containsKey(node)) {
            problem(at, "the YAML is nested too deeply or refers to itself through an alias", null);
            return new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, false, at);
        }
        converting.put(node, Boolean.TRUE);
        try {
            return switch (node) {
                case ScalarNode s -> new YamlNode.Scalar(s.getValue(), kindOf(s.getTag()), !s.isPlain(), at);
                case SequenceNode seq -> {
                    List<YamlNode> items = new ArrayList<>();
                    for (Node item : seq.getValue()) {
                        items.add(convert(item, depth + 1));
                    }
                    yield new YamlNode.Sequence(items, at);
                }
                case MappingNode map -> mapping(map, at, depth);
                default -> {
                    problem(at, "unsupported YAML node " + node.getNodeType(), null);
                    yield new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, false, at);
                }
            };
        } finally {
            converting.remove(node);
        }
    }

    private YamlNode.Mapping mapping(MappingNode map, Position at, int depth) {
        List<YamlNode.Entry> entries = new ArrayList<>();
        Map<String, Position> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Position keyAt = startOf(keyNode);
            if (!(keyNode instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)) {
                problem(keyAt, "a key must be a plain name, found " + keyNode.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                        null);
                continue;
            }
            String name = key.getValue();
            if (name.equals("<<")) {
                problem(keyAt, "YAML merge keys (<<) are not supported in blueprints", "write the keys out");
                continue;
            }
            Position first = seen.putIfAbsent(name, keyAt);
            if (first != null) {
                problem(keyAt, "duplicate key '" + name + "'", "first given at line " + first.line() + ", column "
                        + first.column() + "; keep one");
                continue;
            }
            entries.add(new YamlNode.Entry(name, keyAt, convert(tuple.getValueNode(), depth + 1)));
        }
        return new YamlNode.Mapping(entries, at);
    }

    private static YamlNode.Scalar.Kind kindOf(Tag tag) {
        if (tag.equals(Tag.INT)) {
            return YamlNode.Scalar.Kind.INTEGER;
        } else if (tag.equals(Tag.FLOAT)) {
            return YamlNode.Scalar.Kind.FLOAT;
        } else if (tag.equals(Tag.BOOL)) {
            return YamlNode.Scalar.Kind.BOOLEAN;
        } else if (tag.equals(Tag.NULL)) {
            return YamlNode.Scalar.Kind.NULL;
        }
        return YamlNode.Scalar.Kind.STRING;
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
        for (YamlNode.Entry e : top.entries()) {
            positions.put(e.key(), e.value().position());
            switch (e.key()) {
                case "name" -> name = text(e.value(), "name");
                case "server" -> server = server(e.value());
                case "schemas" -> schemas(e.value(), schemas);
                case "components" -> {
                    for (YamlNode item : list(e.value(), "components")) {
                        component(item).ifPresent(components::add);
                    }
                }
                case "connections" -> {
                    for (YamlNode item : list(e.value(), "connections")) {
                        connection(item).ifPresent(connections::add);
                    }
                }
                case "kafka" -> {
                    if (e.value() instanceof YamlNode.Mapping m) {
                        kafka = kafka(m);
                    } else if (!isNull(e.value())) {
                        problem(e.value().position(), "kafka must be a mapping, found " + e.value().describe(),
                                "e.g. kafka: {bootstrap_servers: \"localhost:9092\"}");
                    }
                }
                default -> unknownKey(e, TOP_LEVEL_KEYS, "top-level key", "a blueprint has");
            }
        }
        if (!positions.containsKey("name")) {
            problem(top.position(), "the blueprint has no name", "add name: <pipeline name> at the top");
        }
        if (!positions.containsKey("components")) {
            problem(top.position(), "the blueprint has no components", "add components: with at least one component");
        }
        return new Blueprint(file, path, name, server, schemas, components, connections, kafka, top.position(), positions);
    }

    private void unknownKey(YamlNode.Entry e, List<String> known, String what, String owner) {
        String near = Names.nearest(e.key(), known);
        problem(e.keyPosition(), "unknown " + what + " '" + e.key() + "'",
                (near != null ? "did you mean '" + near + "'? " : "") + owner + " " + String.join(", ", known));
    }

    private ServerSpec server(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            if (!isNull(node)) {
                problem(node.position(), "server must be a mapping, found " + node.describe(),
                        "e.g. server: {host: 127.0.0.1, port: 8080}");
            }
            return ServerSpec.defaults(node.position());
        }
        String host = ServerSpec.DEFAULT_HOST;
        int port = ServerSpec.DEFAULT_PORT;
        Map<String, Position> positions = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
            positions.put(e.key(), e.value().position());
            switch (e.key()) {
                case "host" -> {
                    String h = text(e.value(), "server host");
                    if (h != null) {
                        host = h;
                    }
                }
                case "port" -> {
                    Long p = integer(e.value(), "server port");
                    if (p != null && (p < 0 || p > 65535)) {
                        problem(e.value().position(), "server port must be 0..65535, was " + p,
                                "0 picks a free port; the default is 8080");
                    } else if (p != null) {
                        port = p.intValue();
                    }
                }
                default -> unknownKey(e, SERVER_KEYS, "server key", "server has");
            }
        }
        return new ServerSpec(host, port, m.position(), positions);
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
                        problem(e.value().position(), "kafka bootstrap_servers must be host:port[,host:port...], was '"
                                + text + "'", "e.g. bootstrap_servers: \"localhost:9092\"");
                    } else if (text != null) {
                        bootstrap = text.trim();
                    }
                }
                case "client" -> client(e.value(), client);
                case "lag_refresh_ms" -> {
                    Long ms = integer(e.value(), "kafka lag_refresh_ms");
                    if (ms != null && ms < 10) {
                        problem(e.value().position(), "kafka lag_refresh_ms must be at least 10, was " + ms,
                                "how often the consumer lag (a Kafka connection's depth) is read, in milliseconds;"
                                        + " the default is " + KafkaSpec.DEFAULT_LAG_REFRESH_MS);
                    } else if (ms != null && ms > Integer.MAX_VALUE) {
                        problem(e.value().position(), "kafka lag_refresh_ms " + ms + " is too large",
                                "the default is " + KafkaSpec.DEFAULT_LAG_REFRESH_MS);
                    } else if (ms != null) {
                        lagRefreshMs = ms.intValue();
                    }
                }
                case "prefetch" -> {
                    Long n = integer(e.value(), "kafka prefetch");
                    if (n != null && n < 1) {
                        problem(e.value().position(), "kafka prefetch must be at least 1, was " + n,
                                "records read ahead of each receiving component; the default is "
                                        + KafkaSpec.DEFAULT_PREFETCH);
                    } else if (n != null && n > 1_000_000) {
                        problem(e.value().position(), "kafka prefetch must be at most 1000000, was " + n,
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
            problem(node.position(), "kafka client must be a mapping of Kafka client properties, found "
                    + node.describe(), "e.g. client: {security.protocol: SSL}");
            return;
        }
        for (YamlNode.Entry e : m.entries()) {
            if (RESERVED_CLIENT_PROPERTIES.contains(e.key())) {
                problem(e.keyPosition(), "kafka client property '" + e.key() + "' is set by Portflow",
                        e.key().equals("bootstrap.servers")
                                ? "use kafka: {bootstrap_servers: ...}, or the environment variable PORTFLOW_KAFKA_BOOTSTRAP"
                                : "remove it; Portflow sets it for its producers and consumers");
                continue;
            }
            if (e.value() instanceof YamlNode.Scalar s && !s.isNull()) {
                client.put(e.key(), s.text());
            } else {
                problem(e.value().position(), "kafka client property '" + e.key() + "' must be a string, found "
                        + e.value().describe(), "Kafka client properties are strings, e.g. security.protocol: SSL");
            }
        }
    }

    private void schemas(YamlNode node, Map<String, SchemaSpec> schemas) {
        if (!(node instanceof YamlNode.Mapping m)) {
            if (!isNull(node)) {
                problem(node.position(), "schemas must be a mapping of names to JSON Schemas, found " + node.describe(),
                        "e.g. schemas: {Order: {type: object, required: [id]}}");
            }
            return;
        }
        for (YamlNode.Entry e : m.entries()) {
            YamlNode schema = e.value();
            boolean isBoolean = schema instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.BOOLEAN;
            if (!(schema instanceof YamlNode.Mapping) && !isBoolean) {
                problem(schema.position(), "schema '" + e.key() + "' must be a JSON Schema (a mapping), found "
                        + schema.describe(), "e.g. " + e.key() + ": {type: object, required: [id]}");
                continue;
            }
            JsonNode json = JSON.valueToTree(schema.toJava());
            schemas.put(e.key(), new SchemaSpec(e.key(), json, schema, e.keyPosition()));
        }
    }

    private Optional<ComponentSpec> component(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problem(node.position(), "a component must be a mapping, found " + node.describe(),
                    "e.g. - {name: big, recipe: filter, config: {condition: \"amount > 100\"}}");
            return Optional.empty();
        }
        String name = null;
        String recipe = null;
        String className = null;
        Map<String, ConfigEntry> config = new LinkedHashMap<>();
        List<PortSpec> inputs = new ArrayList<>();
        List<PortSpec> outputs = new ArrayList<>();
        Map<String, Position> positions = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
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
                        problem(e.value().position(), "config must be a mapping, found " + e.value().describe(),
                                "e.g. config: {path: /orders}");
                    }
                }
                case "inputs" -> ports(e.value(), "inputs", inputs);
                case "outputs" -> ports(e.value(), "outputs", outputs);
                default -> unknownKey(e, COMPONENT_KEYS, "component key", "a component has");
            }
        }
        if (!positions.containsKey("name")) {
            problem(m.position(), "a component has no name", "add name: <component name>");
        }
        return Optional.of(new ComponentSpec(name, recipe, className, config, inputs, outputs, m.position(), positions));
    }

    private void ports(YamlNode node, String what, List<PortSpec> ports) {
        for (YamlNode item : list(node, what)) {
            if (item instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING) {
                ports.add(new PortSpec(s.text(), null, s.position(), null));
                continue;
            }
            if (!(item instanceof YamlNode.Mapping m)) {
                problem(item.position(), "a port in " + what + " must be a mapping, found " + item.describe(),
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
            problem(node.position(), "a connection must be a mapping, found " + node.describe(),
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
                            problem(e.value().position(), "buffer_size " + size + " is too large",
                                    "at most " + Integer.MAX_VALUE + "; the default is 1024");
                            bufferSize = null;
                        }
                    }
                }
                case "overflow" -> overflow = text(e.value(), "overflow");
                case "timeout_ms" -> timeoutMs = integer(e.value(), "timeout_ms");
                case "transport" -> transport = text(e.value(), "transport");
                case "topic" -> topic = text(e.value(), "topic");
                default -> unknownKey(e, CONNECTION_KEYS, "connection key", "a connection has");
            }
        }
        if (!positions.containsKey("from")) {
            problem(m.position(), "a connection has no from:", "add from: <component>.<out_port>");
        }
        if (!positions.containsKey("to")) {
            problem(m.position(), "a connection has no to:", "add to: <component>.<in_port>");
        }
        return Optional.of(new ConnectionSpec(from, to, bufferSize, overflow, timeoutMs, transport, topic,
                m.position(), positions));
    }

    private Endpoint endpoint(YamlNode node, String key, String example) {
        String text = text(node, key);
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            problem(node.position(), key + " must be <component>.<port>, was '" + text + "'", "e.g. " + key + ": " + example);
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
            problem(node.position(), what + " must be a list, found " + node.describe(),
                    "write each entry on its own line starting with '- '");
        }
        return List.of();
    }

    /** A scalar's text (numbers and booleans as written), or {@code null} with a problem. */
    private String text(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        problem(node.position(), what + " must be a string, found " + node.describe(), null);
        return null;
    }

    /** An integer, or {@code null} with a problem. */
    private Long integer(YamlNode node, String what) {
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

    static String quotedNumberHint(YamlNode node) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING
                && s.text().matches("[-+]?[0-9][0-9_.]*")) {
            return "write " + s.text() + " without quotes";
        }
        return null;
    }
}
