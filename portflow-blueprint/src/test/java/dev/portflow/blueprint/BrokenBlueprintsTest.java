package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One broken blueprint per kind of problem, under {@code src/test/resources/broken/}: each problem
 * is reported at its exact line and column with a useful hint, every problem of a file at once,
 * and nothing else (no follow-on noise).
 */
class BrokenBlueprintsTest {

    private static final Path DIR = Path.of("src/test/resources/broken");

    /** An expected problem: exact position, a part of the message, a part of the hint. */
    private record Expected(
            int line, int column, String message, @Nullable String hint) {}

    private static Expected at(int line, int column, String message, @Nullable String hint) {
        return new Expected(line, column, message, hint);
    }

    private static List<Problem> check(String file, Expected... expected) {
        Validation validation = Blueprints.validate(DIR.resolve(file));
        List<Problem> problems = validation.problems();
        assertThat(problems).as(validation.report()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            Problem p = problems.get(i);
            Expected e = expected[i];
            assertThat(p.file()).isEqualTo(DIR.resolve(file).toString());
            assertThat(p.position()).as(p.format()).isEqualTo(new Position(e.line(), e.column()));
            assertThat(p.message()).as(p.format()).contains(e.message());
            if (e.hint() == null) {
                assertThat(p.hint()).as(p.format()).isNull();
            } else {
                assertThat(p.hint()).as(p.format()).contains(e.hint());
            }
        }
        return problems;
    }

    @Test
    void yamlSyntaxErrorPointsAtTheUnexpectedToken() {
        List<Problem> problems = check(
                "syntax.yaml",
                at(4, 3, "YAML syntax error: expected ',' or '}'", "flow mapping that started at line 3, column 5"));
        assertThat(problems.getFirst().format())
                .startsWith("src/test/resources/broken/syntax.yaml:4:3: YAML syntax error");
    }

    @Test
    void missingNames() {
        check(
                "missing-names.yaml",
                at(1, 1, "the blueprint has no name", "add name:"),
                at(3, 5, "a component has no name", "add name:"),
                at(7, 5, "a connection has no from:", "from: <component>.<out_port>"));
    }

    @Test
    void duplicateComponentNamesTheFirst() {
        check("duplicate-component.yaml", at(5, 12, "component 'gen' is declared twice", "first declared at line 3"));
    }

    @Test
    void unknownComponentSuggestsTheNearestName() {
        check("unknown-component.yaml", at(6, 37, "unknown component 'colect'", "did you mean 'collect'?"));
    }

    @Test
    void unknownPortOfFixedPortsOrDeclaredPorts() {
        check(
                "unknown-port.yaml",
                at(
                        10,
                        15,
                        "api_endpoint 'api' has no output port 'out_request'",
                        "did you mean 'out_requests'? its output ports: out_requests, err_requests"),
                at(13, 14, "component 'sink' has no input port 'in_order'", "did you mean 'in_orders'?"));
    }

    @Test
    void badPortNamesAndDirections() {
        check(
                "bad-port-name.yaml",
                at(
                        3,
                        75,
                        "'in_numbers' is an input port name, but it is listed in outputs",
                        "out_<name> or err_<name>"),
                at(
                        7,
                        16,
                        "component 'gen' has no output port 'out_numbers'",
                        "add it to the component's outputs: list"),
                at(7, 39, "bad port name 'numbers'", "e.g. in_numbers"),
                at(
                        8,
                        18,
                        "'in_numbers' is an input port: a connection goes from an output port to an input port",
                        "are from and to swapped?"),
                at(9, 16, "bad port name 'Out-Numbers'", "e.g. out_numbers"),
                at(9, 38, "'out_numbers' is an output port", "to: takes an in_* port"));
    }

    @Test
    void unknownRecipeSuggestsTheNearestAndListsTheKnown() {
        check(
                "unknown-recipe.yaml",
                at(4, 25, "unknown recipe 'fliter'", "did you mean 'filter'? known recipes: api_endpoint, batch, "),
                at(5, 25, "unknown recipe 'jsonl'", "did you mean 'jsonl_sink'?"));
    }

    @Test
    void userClassesThatCannotBeUsed() {
        check(
                "bad-class.yaml",
                at(4, 22, "class 'com.acme.Missing' not found", "classpath"),
                at(
                        5,
                        22,
                        "Misfits$NotAComponent is not a Portflow component",
                        "implement one of dev.portflow.component.Source"),
                at(6, 22, "Misfits$NeedsArgument has no public no-arg constructor", "add public NeedsArgument() { }"),
                at(7, 22, "Misfits$Unfinished is abstract", "concrete"),
                at(8, 22, "Misfits$Hidden is not public", "make"),
                at(9, 22, "class 'Enrich' not found", "fully qualified name"),
                at(10, 77, "Misfits$Plain takes no config", "implement dev.portflow.blueprint.spi.Configurable"));
    }

    @Test
    void badConfigKeysAndValues() {
        check(
                "bad-config.yaml",
                at(6, 7, "api_endpoint 'api' needs config key 'path'", "request path"),
                at(
                        6,
                        19,
                        "config key 'timeout_ms' must be a whole number of milliseconds, found the string \"2s\"",
                        "e.g. 2000"),
                at(7, 23, "config key 'max_body_bytes' must be between 1 and 67108864, was 0", "413"),
                at(8, 7, "unknown config key 'auth_tokn'", "did you mean 'auth_token'?"),
                // no separate "needs 'condition'": the hint of the misspelt key says it
                at(11, 14, "unknown config key 'conditon' for filter 'big'", "did you mean 'condition'?"),
                at(
                        14,
                        21,
                        "config key 'level' must be one of trace, debug, info, warn, warning, error, was 'verbose'",
                        "allowed"),
                at(17, 20, "config key 'size' must be an integer, found the number 1.5", "messages per batch"),
                at(17, 36, "config key 'window_ms' must not be negative, was -5", "milliseconds"),
                at(22, 49, "unknown config key 'else' for an entry of routes", "takes: port, when"),
                at(23, 11, "an entry of routes needs config key 'when'", "CEL condition"));
    }

    @Test
    void schemaMismatchAcrossAConnectionAndUnknownSchema() {
        check(
                "schema-mismatch.yaml",
                at(15, 40, "unknown schema 'Ordr'", "did you mean 'Order'?"),
                at(
                        17,
                        5,
                        "schema mismatch: api.out_requests carries 'Order' but pay.in_payments expects 'Payment'",
                        "declare the same schema on both ports"));
    }

    @Test
    void invalidJsonSchemasPointIntoTheSchema() {
        check(
                "bad-schema.yaml",
                at(3, 17, "schema 'Order' is not a valid JSON Schema: type: ", "draft 2020-12"),
                at(3, 35, "schema 'Order' is not a valid JSON Schema: required: ", "draft 2020-12"),
                at(5, 11, "schema 'NotOne' must be a JSON Schema (a mapping), found a list", "NotOne: {type: object"));
    }

    @Test
    void aSchemaWithANumberJsonCannotHoldIsAProblemNotACrash() {
        String blueprint = """
                name: y
                schemas: {Order: {type: object, properties: {n: {type: number, maximum: .inf}}}}
                components:
                  - {name: gen, recipe: generator, config: {rate: 1}}
                  - {name: sink, recipe: log_sink}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """;
        assertThat(Blueprints.loader().validate("y.yaml", blueprint).report())
                .isEqualTo("y.yaml:2:18: schema 'Order' is not JSON: field 'properties.n.maximum' is Infinity,"
                        + " which JSON cannot hold (hint: a JSON Schema holds finite numbers only)");
    }

    @Test
    void cycleNamesItsComponents() {
        check(
                "cycle.yaml",
                at(9, 5, "the connections form a cycle: merge_in -> twice -> again -> merge_in", "acyclic"));
    }

    @Test
    void duplicateConnection() {
        check(
                "duplicate-connection.yaml",
                at(7, 5, "duplicate connection gen.out_numbers -> sink.in_numbers", "first declared at line 6"));
    }

    @Test
    void bufferSizeOverflowAndTimeout() {
        check(
                "buffer-options.yaml",
                at(
                        10,
                        60,
                        "buffer_size must be at least 1, was 0: a buffer with no room can never take a message",
                        "use 1 for a hand-off, or leave it out for the default 1024"),
                at(11, 60, "buffer_size must be at least 1, was -3", "default 1024"),
                at(12, 57, "unknown overflow policy 'drop_new'", "did you mean 'drop_newest'?"),
                at(13, 89, "timeout_ms must be at least 1, was 0", "default is 2000"),
                at(
                        14,
                        59,
                        "timeout_ms only applies to overflow: block_with_timeout, but this connection uses block",
                        "add overflow: block_with_timeout"),
                at(14, 77, "buffer_size must be an integer, found the string \"64\"", "write 64 without quotes"));
    }

    @Test
    void portRulesOfRecipes() {
        check(
                "port-rules.yaml",
                // the problems of single connections first: port counts may follow from them
                at(15, 17, "log_sink 'sink' is a sink: it has no out_* ports", "err_*"),
                at(15, 35, "generator 'gen' is a source: it has no input ports", "another component"),
                at(3, 12, "api_endpoint 'api' needs out_requests connected", "from: api.out_requests"),
                at(4, 12, "filter 'big' needs exactly 1 out_* port, has [out_big, out_small]", "broadcast"),
                at(7, 12, "sleep 'lonely' is not connected to anything", "connect it"),
                at(8, 12, "sleep 'two_in' needs exactly 1 in_* port, has [in_a, in_b]", "merge"),
                at(9, 12, "sleep 'no_in' needs an in_* port connected", "to: no_in.in_<name>"),
                at(10, 44, "router 'route' has out_b connected, but no route sends to it", "default: out_b"),
                at(10, 89, "route port 'out_c' of router 'route' is not connected", "did you mean 'out_a'?"));
    }

    @Test
    void apiEndpointPathsAndComponentTypes() {
        check(
                "api-paths.yaml",
                at(3, 52, "path /metrics is served by the runtime itself", "choose another path"),
                at(5, 52, "path /orders is already used by api_endpoint 'b'", "line 4"),
                at(5, 73, "auth_token must not be blank", "leave it out"),
                at(6, 44, "component 'd' has both recipe: and class:", "keep recipe:"),
                at(7, 12, "component 'e' has neither recipe: nor class:", "add recipe: <api_endpoint|"));
    }

    @Test
    void kafkaConnectionOptionsAndSection() {
        check(
                "kafka.yaml",
                at(
                        2,
                        28,
                        "kafka bootstrap_servers must be host:port[,host:port...], was 'localhost'",
                        "e.g. bootstrap_servers: \"localhost:9092\""),
                at(
                        2,
                        51,
                        "kafka prefetch must be at least 1, was 0",
                        "records read ahead of each receiving component; the default is 500"),
                at(13, 72, "'numbers for a' is not a Kafka topic name", "1 to 249 characters of a-z A-Z 0-9 . _ -"),
                at(14, 55, "topic only applies to transport: kafka", "add transport: kafka, or remove topic"),
                at(15, 59, "unknown transport 'kafak'", "did you mean 'kafka'? one of: memory, kafka, disk"),
                at(
                        16,
                        76,
                        "overflow drop_oldest cannot apply to a kafka connection: a record in a topic cannot be"
                                + " taken back",
                        "use drop_newest, block, block_with_timeout or fail; buffer_size is the"
                                + " consumer lag allowed"));
    }

    @Test
    void kafkaPartitionsAndKey() {
        String notKafka = "add transport: kafka, or remove ";
        String partitionsHint = "the partitions the topic is created with when it does not exist (up to as many"
                + " receiving processes as partitions share the work); leave it out for the broker's default";
        List<Problem> problems = check(
                "kafka-keys.yaml",
                at(
                        23,
                        39,
                        "key only applies to transport: kafka: it is the record key of the connection's topic",
                        notKafka + "key; to keep messages with one key in order on a component with several"
                                + " workers, give that component ordering: key and key: <field>"),
                at(
                        24,
                        63,
                        "partitions only applies to transport: kafka: it is the partition count of the"
                                + " connection's topic",
                        notKafka + "partitions"),
                at(24, 71, "key only applies to transport: kafka", notKafka + "key"),
                at(
                        25,
                        64,
                        "partitions must be at least 1, was 0: a topic needs a partition to hold records",
                        partitionsHint),
                at(26, 64, "partitions must be at least 1, was -1", partitionsHint),
                at(27, 64, "partitions must be an integer, found the string \"three\"", null),
                at(28, 64, "partitions must be at most 10000, was 10001", partitionsHint),
                at(
                        29,
                        57,
                        "key must name a field of the message, was empty",
                        "the key is a top-level field of the JSON message: 1 to 255 letters, digits, '_' and '-',"
                                + " starting with a letter or '_'"),
                at(
                        30,
                        57,
                        "key 'customer.id' is not a field name",
                        "a nested one cannot be named): copy it to the top level with a map component before the"
                                + " connection, e.g. fields: {customer_id: \"customer.id\"}"),
                at(31, 57, "key must be a string, found a list", null),
                at(
                        32,
                        64,
                        "key 'custmer_id' is not a field of schema 'Order': messages without it would be sent"
                                + " unkeyed",
                        "did you mean 'customer_id'? its fields: customer_id, items; or add it to the schema's"
                                + " properties"),
                at(
                        33,
                        64,
                        "key 'items' is of type array in schema 'Order': a record key is a string, a number or a"
                                + " boolean",
                        "key the connection by a field that holds one"),
                at(
                        34,
                        62,
                        "key 'customer_id' needs messages that are JSON objects, but schema 'Text' is of type string",
                        "remove key, or send objects"),
                at(36, 48, "partitions only applies to transport: kafka", notKafka + "partitions"));
        assertThat(problems.get(3).format())
                .isEqualTo("src/test/resources/broken/kafka-keys.yaml:25:64: partitions must be at least 1, was 0: a"
                        + " topic needs a partition to hold records (hint: " + partitionsHint + ")");
    }

    @Test
    void kafkaBoundPortsCarryTheirKafkaConnectionOnly() {
        List<Problem> problems = check(
                "kafka-ports.yaml",
                at(
                        12,
                        12,
                        "component name 'kafka_in_d_in_numbers' is taken by the receiver of kafka connection"
                                + " gen4.out_numbers -> d.in_numbers",
                        "rename the component"),
                at(
                        14,
                        5,
                        "output port gen.out_numbers sends over Kafka (topic portflow.kafka_ports.gen.out_numbers),"
                                + " so it carries this connection only, but it also feeds b.in_numbers (line 15)",
                        "a port bound to Kafka cannot broadcast"),
                at(
                        16,
                        5,
                        "input port c.in_numbers receives over Kafka (topic numbers), so no other connection may"
                                + " feed it, but gen3.out_numbers (line 17) does too",
                        "put a merge in front of c and send the merge's output over Kafka"),
                at(
                        18,
                        73,
                        "topic numbers is already used by connection gen2.out_numbers -> c.in_numbers (line 16)",
                        "each kafka connection needs a topic of its own"));
        assertThat(problems.get(1).format())
                .isEqualTo("src/test/resources/broken/kafka-ports.yaml:14:5: output port"
                        + " gen.out_numbers sends over Kafka (topic portflow.kafka_ports.gen.out_numbers), so it carries this"
                        + " connection only, but it also feeds b.in_numbers (line 15) (hint: a port bound to Kafka cannot"
                        + " broadcast: send the other connection from another out_* port, or pass it on from the receiving"
                        + " side of the topic)");
    }

    @Test
    void diskConnectionOptionsAndDataDir() {
        List<Problem> problems = check(
                "disk.yaml",
                at(
                        2,
                        11,
                        "data_dir must not be blank",
                        "the directory of the logs of transport: disk connections, e.g. data_dir:"
                                + " ./portflow-data/disk_checks; leave it out for portflow-data/<pipeline>"),
                at(
                        15,
                        74,
                        "overflow drop_oldest cannot apply to a disk connection: a record on disk is acknowledged as"
                                + " durable; it cannot be evicted",
                        "use drop_newest, block, block_with_timeout or fail"),
                at(16, 59, "max_bytes only applies to transport: disk", "add transport: disk, or remove max_bytes"),
                at(
                        17,
                        76,
                        "max_bytes must be at least 1048576 (1 MiB), was 1048575",
                        "the bytes the connection's log may take on disk; leave it out for the default 1073741824"
                                + " (1 GiB)"),
                at(18, 59, "unknown transport 'dsik'", "did you mean 'disk'? one of: memory, kafka, disk"),
                at(19, 72, "topic only applies to transport: kafka", "add transport: kafka, or remove topic"),
                at(19, 81, "unknown connection key 'max_byte'", "did you mean 'max_bytes'?"));
        assertThat(problems.get(1).format())
                .isEqualTo("src/test/resources/broken/disk.yaml:15:74: overflow drop_oldest cannot apply to a disk"
                        + " connection: a record on disk is acknowledged as durable; it cannot be evicted (hint: use"
                        + " drop_newest, block, block_with_timeout or fail; buffer_size is the records its log may"
                        + " hold)");
    }

    @Test
    void diskBoundPortsCarryTheirDiskConnectionOnly() {
        check(
                "disk-ports.yaml",
                at(2, 11, "data_dir must be a string, found a list", "e.g. data_dir: ./portflow-data/orders"),
                at(3, 1, "unknown top-level key 'data_dri'", "did you mean 'data_dir'?"),
                at(
                        14,
                        12,
                        "component name 'disk_in_d_in_numbers' is taken by the receiver of disk connection"
                                + " gen4.out_numbers -> d.in_numbers",
                        "rename the component"),
                at(
                        16,
                        5,
                        "output port gen.out_numbers sends to a disk log, so it carries this connection only, but it"
                                + " also feeds b.in_numbers (line 17)",
                        "a port bound to a disk log cannot broadcast"),
                at(
                        18,
                        5,
                        "input port c.in_numbers receives from a disk log, so no other connection may feed it, but"
                                + " gen3.out_numbers (line 19) does too",
                        "put a merge in front of c and send the merge's output over disk"));
    }

    @Test
    void onlyMustRunBothEndsOfADiskConnection() {
        Path file = Path.of("src/test/resources/split/disk.yaml");
        assertThat(Blueprints.validate(file).problems()).as("valid as a whole").isEmpty();
        assertThat(Blueprints.validate(file, List.of("api", "enrich")).problems())
                .as("split at the kafka edge")
                .isEmpty();
        assertThat(Blueprints.validate(file, List.of("big", "store")).problems())
                .isEmpty();

        String f = file.toString();
        assertThat(Blueprints.validate(file, List.of("enrich", "big", "store")).report())
                .isEqualTo(f + ":8:63: connection api.out_requests -> enrich.in_orders crosses --only: api runs in"
                        + " another process, but a disk connection's log lives in the data directory of this process,"
                        + " so both its ends must run in the same process (hint: use transport: kafka to span"
                        + " processes, or add api to --only)");
        assertThat(Blueprints.validate(file, List.of("api", "enrich", "big")).report())
                .isEqualTo(f + ":10:60: connection big.out_orders -> store.in_orders crosses --only: store runs in"
                        + " another process, but a disk connection's log lives in the data directory of this process,"
                        + " so both its ends must run in the same process (hint: use transport: kafka to span"
                        + " processes, or add store to --only)");
        assertThatThrownBy(() -> Blueprints.assemble(
                        Blueprints.load(file),
                        AssemblyOptions.defaults().withoutServer().only("api", "enrich", "big")))
                .isInstanceOf(BlueprintException.class)
                .hasMessageContaining("disk.yaml:10:60: connection big.out_orders -> store.in_orders crosses --only");
    }

    @Test
    void tracingSectionKeysAndValues() {
        check(
                "tracing.yaml",
                at(
                        3,
                        17,
                        "tracing sample_ratio must be between 0 and 1, was 1.5",
                        "the share of entering messages traced: 0.01 traces one in a hundred, 1 every one;"
                                + " the default is 0.01"),
                at(4, 12, "tracing slow_ms must be 0 or more, was -1", "the default is 1000"),
                at(
                        5,
                        3,
                        "unknown tracing key 'sample_rate'",
                        "did you mean 'sample_ratio'? tracing has sample_ratio, slow_ms"));
        check(
                "tracing-types.yaml",
                at(
                        2,
                        25,
                        "tracing sample_ratio must be a number between 0 and 1, found the string \"0.5\"",
                        "write 0.5 without quotes"),
                at(2, 41, "tracing slow_ms must be an integer, found the number 1.5", null));
        check(
                "tracing-shape.yaml",
                at(
                        2,
                        10,
                        "tracing must be a mapping, found a list",
                        "e.g. tracing: {sample_ratio: 0.01, slow_ms: 500}"));
    }

    @Test
    void kafkaSectionKeysAndValues() {
        check(
                "kafka-section.yaml",
                at(
                        3,
                        3,
                        "unknown kafka key 'bootstrap_server'",
                        "did you mean 'bootstrap_servers'? kafka has bootstrap_servers, client, lag_refresh_ms, prefetch"),
                at(
                        4,
                        36,
                        "kafka client property 'bootstrap.servers' is set by Portflow",
                        "use kafka: {bootstrap_servers: ...}, or the environment variable PORTFLOW_KAFKA_BOOTSTRAP"),
                at(
                        4,
                        78,
                        "kafka client property 'retries' must be a string, found a list",
                        "Kafka client properties are strings"),
                at(
                        5,
                        19,
                        "kafka lag_refresh_ms must be at least 10, was 5",
                        "how often the consumer lag (a Kafka connection's depth) is read, in milliseconds;"
                                + " the default is 200"),
                at(6, 13, "kafka prefetch must be an integer, found the string \"500\"", "write 500 without quotes"));
    }

    @Test
    void onlyMustNotCrossAMemoryConnection() {
        Path file = Path.of("src/test/resources/split/orders.yaml");
        assertThat(Blueprints.validate(file).problems()).as("valid as a whole").isEmpty();
        assertThat(Blueprints.validate(file, List.of("api", "enrich")).problems())
                .as("split at the kafka edge")
                .isEmpty();
        assertThat(Blueprints.validate(file, List.of("big", "store")).problems())
                .isEmpty();
        assertThat(Blueprints.validate(file, List.of()).problems())
                .as("empty: everything")
                .isEmpty();

        String f = file.toString();
        assertThat(Blueprints.validate(file, List.of("api", "big")).report())
                .isEqualTo(String.join(
                        "\n",
                        f
                                + ":9:5: connection api.out_requests -> enrich.in_orders crosses --only: enrich runs in another"
                                + " process, so the connection needs transport: kafka (hint: add transport: kafka to the"
                                + " connection, or add enrich to --only)",
                        f + ":11:5: connection big.out_orders -> store.in_orders crosses --only: store runs in another"
                                + " process, so the connection needs transport: kafka (hint: add transport: kafka to the"
                                + " connection, or add store to --only)"));
        assertThat(Blueprints.validate(file, List.of("enrich")).report())
                .isEqualTo(
                        f + ":9:5: connection api.out_requests -> enrich.in_orders crosses --only: api runs in another"
                                + " process, so the connection needs transport: kafka (hint: add transport: kafka to the"
                                + " connection, or add api to --only)");
    }

    @Test
    void onlyNamesUnknownComponentsWithTheNearest() {
        Path file = Path.of("src/test/resources/split/orders.yaml");
        assertThat(Blueprints.validate(file, List.of("api", "enrihc", "nothing_like_it"))
                        .report())
                .isEqualTo(file + ":4:3: --only names unknown component 'enrihc' (hint: did you mean 'enrich'?"
                        + " components: api, enrich, big, store)\n"
                        + file + ":4:3: --only names unknown component 'nothing_like_it' (hint: components: api,"
                        + " enrich, big, store)");
        assertThatThrownBy(() -> Blueprints.assemble(
                        Blueprints.load(file),
                        AssemblyOptions.defaults().withoutServer().only("api", "big")))
                .isInstanceOf(BlueprintException.class)
                .hasMessageContaining(
                        "orders.yaml:9:5: connection api.out_requests -> enrich.in_orders crosses --only");
    }

    @Test
    void unknownKeysEverywhere() {
        check(
                "unknown-keys.yaml",
                at(1, 1, "the blueprint has no connections", "add connections:"),
                at(2, 1, "unknown top-level key 'sever'", "did you mean 'server'?"),
                at(3, 16, "server port must be 0..65535, was 70000", "0 picks a free port"),
                at(3, 23, "unknown server key 'hots'", "did you mean 'host'?"),
                at(5, 65, "unknown component key 'confg'", "did you mean 'config'?"),
                at(7, 1, "unknown top-level key 'conections'", "did you mean 'connections'?"));
    }

    @Test
    void everyProblemOfAFileAtOnceInFileOrder() {
        Validation v = Blueprints.validate(DIR.resolve("multi.yaml"));
        String f = "src/test/resources/broken/multi.yaml";
        assertThat(v.report())
                .isEqualTo(String.join(
                        "\n",
                        f + ":1:7: pipeline name 'many problems' is invalid (hint: use letters, digits, '_' and '-')",
                        f + ":7:20: path must start with '/', was 'orders' (hint: e.g. path: /orders)",
                        f
                                + ":7:28: unknown config key 'timeout' for api_endpoint 'api' (hint: did you mean 'timeout_ms'?"
                                + " api_endpoint 'api' takes: path, timeout_ms, max_body_bytes, auth_token)",
                        f + ":8:44: unknown schema 'Oder' (hint: did you mean 'Order'? schemas declared: Order)",
                        f + ":10:13: unknown recipe 'fliter' (hint: did you mean 'filter'? known recipes: "
                                + String.join(
                                        ", ", Blueprints.loader().recipes().names())
                                + "; or class: <your Component class>)",
                        f + ":13:44: unknown config key 'tabel' for store 'store' (hint: did you mean 'table'?"
                                + " store 'store' takes: url, table, key, user, password, outage_timeout_ms)",
                        f
                                + ":15:62: buffer_size must be at least 1, was 0: a buffer with no room can never take a message"
                                + " (hint: use 1 for a hand-off, or leave it out for the default 1024)",
                        f
                                + ":16:32: unknown component 'stor' (hint: did you mean 'store'? components: api, big, store)",
                        f + ":17:38: bad port name 'orders' (hint: input ports are named in_<name> (lower case letters,"
                                + " digits, '_'), e.g. in_orders)",
                        f + ":17:56: unknown overflow policy 'sometimes' (hint: one of: block, block_with_timeout,"
                                + " drop_oldest, drop_newest, fail)"));
        assertThat(v.isValid()).isFalse();
        assertThat(v.model()).isPresent();
    }

    @Test
    void aModelWithoutANameIsNotAssembled() {
        Validation v = Blueprints.loader().validate("noname.yaml", """
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """);
        assertThat(v.report())
                .isEqualTo(
                        "noname.yaml:1:1: the blueprint has no name" + " (hint: add name: <pipeline name> at the top)");
        // validating the model again finds nothing more: assembly refuses it for the parser's problem
        assertThatThrownBy(() -> Blueprints.assemble(
                        v.model().orElseThrow(), AssemblyOptions.defaults().withoutServer()))
                .isInstanceOfSatisfying(
                        BlueprintException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::format)
                                .containsExactly(v.report()));
    }

    @Test
    void nothingIsAssembledWhenAnyProblemExists() {
        Validation v = Blueprints.validate(DIR.resolve("multi.yaml"));
        assertThatThrownBy(() -> Blueprints.assemble(v.model().orElseThrow(), AssemblyOptions.defaults()))
                .isInstanceOfSatisfying(
                        BlueprintException.class, e -> assertThat(e.problems()).hasSameSizeAs(v.problems()))
                .hasMessageStartingWith("invalid blueprint (10 problems)");
        assertThatThrownBy(() -> Blueprints.load(DIR.resolve("cycle.yaml")))
                .isInstanceOf(BlueprintException.class)
                .hasMessageContaining("cycle.yaml:9:5: the connections form a cycle");
    }

    @Test
    void dropOldestOnAnIngressEdgeAndAConnectionTimeoutThatNeverApplies() {
        check(
                "ingress-overflow.yaml",
                at(
                        8,
                        76,
                        "overflow drop_oldest cannot apply to a connection from api_endpoint 'api': a request"
                                + " answered 202 must not be dropped afterwards",
                        "use block_with_timeout (the default"),
                // err_requests (line 9) may drop its oldest: those requests were answered 4xx already
                at(
                        10,
                        93,
                        "timeout_ms 5000 never applies: api_endpoint 'hook' answers 503 after its own timeout_ms"
                                + " (2000 ms)",
                        "a request waits for the shorter of the two"));
    }

    @Test
    void twoJsonlSinksOnOneFile() {
        check(
                "same-file.yaml",
                at(
                        5,
                        55,
                        "jsonl_sink 'second' writes to the same file as jsonl_sink 'first' (line 4): ",
                        "give each sink its own path"),
                at(
                        6,
                        54,
                        "jsonl_sink 'third' writes to the same file as jsonl_sink 'first' (line 4): ",
                        "give each sink its own path"));
    }

    @Test
    void apiEndpointPathsTheRuntimeRefusesOrCannotServe() {
        check(
                "api-paths-run.yaml",
                at(3, 52, "path /dashboard is served by the runtime itself", "choose another path"),
                at(4, 52, "path /dashboard/orders is served by the runtime itself", "/dashboard/*"),
                at(5, 52, "path /healthz is served by the runtime itself", "/health*"),
                at(6, 52, "path / is served by the runtime itself", "choose another path"),
                at(
                        7,
                        60,
                        "path must not hold a query string ('?'): requests to /orders?v=1 never reach it",
                        "the path is matched without the query"),
                at(8, 60, "path must not hold a fragment ('#')", "browsers never send the fragment"),
                at(9, 57, "path holds ' ', which a URL path cannot hold", "letters, digits"),
                at(10, 52, "path must start with '/', was 'https://example.com/orders'", "the path only"),
                at(11, 59, "path holds an empty segment ('//')", "remove the extra '/'"),
                at(12, 60, "path holds '*', which the server would read as a wildcard", null));
    }

    @Test
    void everyBadExpressionOfAComponentAtItsOwnPosition() {
        List<Problem> problems = check(
                "cel.yaml",
                at(8, 25, "map 'enrich': fields.total \"amount *\" is not a valid CEL expression", null),
                at(10, 18, "map 'enrich': fields.tag \"foo(\" is not a valid CEL expression", null),
                at(11, 21, "map 'enrich': fields.note \"'x' +\" is not a valid CEL expression", null),
                at(12, 62, "filter 'big': condition \"amount >> 1\" is not a valid CEL expression", null),
                at(17, 41, "router 'route': routes[0].when \"amount > \" is not a valid CEL expression", null),
                at(19, 31, "router 'route': 'routes[out_c].when' must be a CEL expression producing a boolean", null));
        assertThat(problems).extracting(Problem::message).noneMatch(m -> m.contains("\n"));
    }

    @Test
    void workersTheirNumbersAndWhoMayHaveMoreThanOne() {
        check(
                "workers.yaml",
                at(
                        3,
                        65,
                        "generator 'gen' is a source: it cannot have workers",
                        "give workers to the components it feeds"),
                at(
                        4,
                        68,
                        "workers must be at least 1, was 0: a component with no workers would never handle a message",
                        "leave workers out for one worker"),
                at(5, 72, "workers must be at least 1, was -3", "leave workers out for one worker"),
                at(6, 68, "workers must be a whole number, found the number 2.5", "workers: 4 for a fixed number"),
                at(7, 70, "workers must be a whole number, found the string \"4\"", "write 4 without quotes"),
                at(
                        8,
                        68,
                        "workers must be at most 256, was 1000",
                        "256 is the most: beyond it the threads calling one component mostly wait on each other"),
                at(9, 76, "workers min (8) must not be above max (2)", "e.g. workers: {min: 2, max: 8}"),
                at(10, 77, "unknown workers key 'mx'", "did you mean 'max'? workers has min, max"),
                at(
                        11,
                        69,
                        "workers needs max, the most workers the runtime may run",
                        "e.g. workers: {min: 1, max: 16}"),
                at(12, 77, "workers max must be at most 256, was 300", "256 is the most"),
                at(13, 70, "workers must be a whole number, found a list", "workers: {min: 1, max: 16}"),
                at(
                        14,
                        65,
                        "batch 'batcher' must run on one worker: it holds one open batch",
                        "remove workers: (or set workers: 1)"),
                at(
                        15,
                        74,
                        "jsonl_sink 'file' must run on one worker: it appends to one file",
                        "remove workers: (or set workers: 1)"),
                at(
                        16,
                        76,
                        "sink 'counted' must run on one worker: it keeps a running total",
                        "class dev.portflow.blueprint.fixtures.Tally is annotated @SingleWorker"));
    }

    @Test
    void orderingByKeyAndTheKeyExpression() {
        check(
                "ordering.yaml",
                at(
                        3,
                        66,
                        "generator 'gen' is a source: it receives no messages, so it has no ordering",
                        "remove ordering: and key:"),
                at(4, 69, "unknown ordering 'keys'", "did you mean 'key'? one of: none, key"),
                at(
                        5,
                        82,
                        "ordering: key needs key:, the field or CEL expression messages are ordered by",
                        "e.g. key: customer_id"),
                at(6, 79, "key only applies to ordering: key", "add ordering: key"),
                at(7, 83, "key only applies to ordering: key", "add ordering: key"),
                // at CEL's column inside the quoted value
                at(
                        8,
                        103,
                        "sleep 'badcel': key \"customer.\" is not a valid CEL expression: no viable alternative at input '.'",
                        "a field name (customer_id) or a CEL expression over the message (customer.id)"),
                at(
                        9,
                        95,
                        "sleep 'constant': key \"'eu'\" reads nothing of the message, so every message would have the"
                                + " same key and they would be handled one at a time",
                        null),
                // a value that is not understood is one problem: not also "ordering: key needs key:"
                at(10, 94, "key must be a field name or a CEL expression, found a list", "e.g. key: customer_id"),
                at(12, 84, "ordering must be a string, found a list", null),
                at(13, 84, "ordering: key needs key:", "e.g. key: customer_id"),
                at(
                        15,
                        48,
                        "key only applies to ordering: key",
                        "the store's primary key field goes in config: {key: ...}"));
    }

    @Test
    void aMisspeltComponentNameIsOneProblemNotFour() {
        check("typo.yaml", at(8, 12, "unknown component 'enrihc'", "did you mean 'enrich'?"));
        check(
                "typo-declared.yaml",
                at(8, 34, "unknown component 'enrich'", "did you mean 'enrihc'?"),
                at(9, 12, "unknown component 'enrich'", "did you mean 'enrihc'?"),
                at(10, 29, "unknown component 'stor'", "did you mean 'store'?"));
    }

    @Test
    void problemsOfElementsComeBeforeTheProblemsOfThePipelineTheyMayCause() {
        Validation v = Blueprints.loader().validate("order.yaml", """
                name: order
                components:
                  - {name: lonely, recipe: sleep, config: {duration_ms: 5}}
                  - {name: gen, recipe: generator, config: {rate: 1}}
                  - {name: sink, recipe: log_sink, config: {level: loud}}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """);
        assertThat(v.problems())
                .extracting(p -> p.line() + ": " + p.message())
                .containsExactly(
                        "5: config key 'level' must be one of trace, debug, info, warn, warning, error, was 'loud'",
                        "3: sleep 'lonely' is not connected to anything");
    }

    @Test
    void serverSettingsAndHost() {
        check(
                "server.yaml",
                at(3, 9, "server host must not be empty", "e.g. host: 127.0.0.1"),
                at(5, 20, "server max_connections must be between 1 and 100000, was 0", "default is 2048"),
                at(
                        6,
                        28,
                        "server max_concurrent_requests must be an integer, found the string \"100\"",
                        "write 100 without quotes"),
                at(7, 21, "server max_header_bytes must be between 1024 and 1048576, was 100", "default is 16384"),
                at(8, 20, "server idle_timeout_ms must be between 1000 and 86400000, was 90000000", "default is 30000"),
                at(9, 20, "server read_timeout_ms must be between 1 and 3600000, was -1", "default is 10000"),
                at(10, 3, "unknown server key 'max_conections'", "did you mean 'max_connections'?"));
        check(
                "hosts.yaml",
                at(2, 16, "server host 'my host' is not a host name or IP address", "e.g. host: 127.0.0.1"));
        BlueprintLoader loader = Blueprints.loader();
        String blueprint = """
                name: h
                server: {host: "%s"}
                components:
                  - {name: gen, recipe: generator, config: {rate: 10}}
                  - {name: sink, recipe: log_sink}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """;
        for (String good :
                List.of("127.0.0.1", "0.0.0.0", "localhost", "::", "::1", "fe80::1%eth0", "api-1.example.com")) {
            assertThat(loader.validate("h.yaml", blueprint.formatted(good)).problems())
                    .as(good)
                    .isEmpty();
        }
        for (String bad : List.of("[::1]", "http://localhost", "host:8080", "a_b..c", "-lead", "1.2.3.4.5.6:7")) {
            assertThat(loader.validate("h.yaml", blueprint.formatted(bad)).report())
                    .as(bad)
                    .startsWith("h.yaml:2:16: server host '" + bad + "'");
        }
    }

    @Test
    void aPipelineWithoutComponents() {
        check("no-components.yaml", at(2, 13, "the pipeline has no components", "add at least one component"));
        assertThat(Blueprints.loader()
                        .validate("null.yaml", "name: x\ncomponents:\nconnections:\n")
                        .report())
                .startsWith("null.yaml:2:12: the pipeline has no components");
    }

    @Test
    void mergeKeysAreRejectedWhereTheyAre() {
        check(
                "merge-keys.yaml",
                at(4, 6, "YAML merge keys (<<) are not supported in blueprints", "write the keys out"),
                at(9, 7, "YAML merge keys (<<) are not supported in blueprints", "write the keys out"));
    }

    @Test
    void yamlABlueprintCannotUseIsOneProblemAtItsPlace() {
        String good = """
                name: y
                components:
                  - {name: gen, recipe: generator, config: {rate: 1}}
                  - {name: sink, recipe: log_sink}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """;
        BlueprintLoader loader = Blueprints.loader();
        assertThat(loader.validate("y.yaml", good.replace("rate: 1", "rate: *nope"))
                        .report())
                .isEqualTo("y.yaml:3:51: unknown alias *nope (hint: define the anchor &nope before it is used)");
        assertThat(loader.validate("y.yaml", good.replace("rate: 1", "rate: !!int ten"))
                        .report())
                .isEqualTo(
                        "y.yaml:3:51: 'ten' is not a valid !!int (hint: remove the tag, or write a value of that type)");
        assertThat(loader.validate("y.yaml", good + "---\nname: z\n").report())
                .startsWith("y.yaml:7:1: a blueprint is one YAML document, but a second one starts here");
        assertThat(loader.validate("y.yaml", good.replace("name: y", "name: y\nschemas: {A: &a {allOf: [*a]}}"))
                        .report())
                .contains("y.yaml:2:26: alias *a refers to a value that holds it");
        assertThat(loader.validate("y.yaml", good.replace("rate: 1", "rate: ${RATE}"))
                        .report())
                .as("in flow style a variable must be quoted")
                .contains("(hint: in flow style ({...}, [...]) a ${...} value must be quoted");
    }

    @Test
    void nonPrintableCharactersAndInvalidUtf8AtTheirLineAndColumn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path nul = dir.resolve("nul.yaml");
        java.nio.file.Files.writeString(nul, "name: a\ncomponents:\n  - {name: x\u0000y, recipe: log_sink}\n");
        assertThat(Blueprints.validate(nul).report())
                .isEqualTo(nul + ":3:13: the file holds the control character"
                        + " U+0000 (NUL), which YAML does not allow (hint: remove it; a blueprint is UTF-8 text: was the file"
                        + " saved in another encoding, or is it binary?)");

        Path bell = dir.resolve("bell.yaml");
        java.nio.file.Files.writeString(bell, "name: a\u0007\ncomponents: []\n");
        assertThat(Blueprints.validate(bell).report())
                .startsWith(bell + ":1:8: the file holds the control character" + " U+0007");

        Path latin1 = dir.resolve("latin1.yaml");
        byte[] bytes = "name: caf\u00e9\ncomponents: []\n# na\u00efve\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.file.Files.write(latin1, bytes);
        assertThat(Blueprints.validate(latin1).report())
                .isEqualTo(latin1 + ":1:10: the file is not valid UTF-8:"
                        + " byte 0xE9 begins no valid UTF-8 character (hint: save the file as UTF-8; it may be Latin-1 or"
                        + " Windows-1252)");

        assertThat(Blueprints.loader()
                        .validate("inline.yaml", "name: a\ncomponents: [{name: \"\u0000\"}]\n")
                        .report())
                .startsWith("inline.yaml:2:22: the file holds the control character U+0000 (NUL)");
    }

    @Test
    void inlineProblems() {
        BlueprintLoader loader = Blueprints.loader();
        assertThat(loader.validate("empty.yaml", "").report())
                .isEqualTo("empty.yaml:1:1: the blueprint is empty"
                        + " (hint: a blueprint is a mapping with name:, components: and connections:)");
        assertThat(loader.validate("list.yaml", "- a\n- b\n").report())
                .startsWith("list.yaml:1:1: a blueprint must be a mapping, found a list");
        assertThat(loader.validate("dup.yaml", "name: a\ncomponents: []\nconnections: []\nname: b\n")
                        .report())
                .isEqualTo("dup.yaml:2:13: the pipeline has no components (hint: add at least one component under"
                        + " components:, e.g. - {name: gen, recipe: generator, config: {rate: 1}})\n"
                        + "dup.yaml:4:1: duplicate key 'name' (hint: first given at line 1, column 1; keep one)");
        assertThat(Blueprints.validate(Path.of("no/such/file.yaml")).report())
                .isEqualTo("no/such/file.yaml:1:1: no such file");
    }
}
