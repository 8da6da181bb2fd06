package dev.portflow.blueprint;

import dev.portflow.component.Component;
import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.Ingress;
import dev.portflow.http.IngressSettings;
import dev.portflow.http.JsonSchemaDecoder;
import dev.portflow.port.PortName;
import dev.portflow.runtime.ComponentKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in recipes and their configuration. {@code api_endpoint} is implemented here; the
 * others are implemented in {@code portflow-recipes} and loaded by name from package
 * {@value #IMPLEMENTATION_PACKAGE} when a pipeline is assembled: through its dispatcher
 * {@code Recipes.create(String, Map, Path)}, else a class per recipe (see {@link ReflectiveRecipe}
 * and {@code docs/blueprints.md}), so validation and graphs work without that module.
 */
public final class BuiltInRecipes {

    /** Where the built-in implementations are looked up. */
    public static final String IMPLEMENTATION_PACKAGE = "dev.portflow.recipes";

    /**
     * Why {@code jsonl_sink} runs on one worker; the same words as the {@code @SingleWorker} of its
     * implementation, declared here so validation knows without making it.
     */
    static final String JSONL_SINK_SINGLE_WORKER = "it appends to one file";
    /** Why {@code batch} runs on one worker (see {@link #JSONL_SINK_SINGLE_WORKER}). */
    static final String BATCH_SINGLE_WORKER = "it holds one open batch";

    private BuiltInRecipes() {}

    /** Every built-in recipe. */
    public static List<Recipe> all() {
        return all(IMPLEMENTATION_PACKAGE);
    }

    /** The built-ins, with implementations looked up in {@code implementationPackage} (for tests). */
    static List<Recipe> all(String pkg) {
        return List.of(
                apiEndpoint(),
                new ReflectiveRecipe(
                        "generator",
                        ComponentKind.SOURCE,
                        "emits messages from a template at a fixed rate",
                        new PortRule(0, 0, 1, 1, List.of(), List.of()),
                        List.of(
                                ConfigKey.required("rate", ConfigType.NUMBER, "messages per second, e.g. 0.5 or 100")
                                        .range(0.001, 1_000_000),
                                ConfigKey.optional(
                                                "count",
                                                ConfigType.INTEGER,
                                                null,
                                                "how many messages, then the source ends; no end when left out")
                                        .min(0),
                                ConfigKey.optional(
                                        "template",
                                        ConfigType.MAP,
                                        null,
                                        "the JSON object of each message; strings may use ${seq}, ${uuid}, ${now};"
                                                + " default {seq: ${seq}}")),
                        pkg,
                        "Generator"),
                new ReflectiveRecipe(
                        "filter",
                        ComponentKind.TRANSFORMER,
                        "passes the messages for which a CEL condition holds; the others are dropped as filtered",
                        PortRule.oneInOneOut(),
                        List.of(ConfigKey.required(
                                "condition",
                                ConfigType.EXPRESSION,
                                "CEL condition over the message's fields, e.g. amount > 100")),
                        pkg,
                        "Filter"),
                new ReflectiveRecipe(
                        "map",
                        ComponentKind.TRANSFORMER,
                        "computes each output field with a CEL expression over the input",
                        PortRule.oneInOneOut(),
                        List.of(
                                ConfigKey.required(
                                                "fields",
                                                ConfigType.MAP,
                                                "output field name -> CEL expression, e.g. {total: amount * 1.2}")
                                        .elements(ConfigType.EXPRESSION)
                                        .min(1),
                                ConfigKey.optional(
                                        "replace",
                                        ConfigType.BOOLEAN,
                                        false,
                                        "true: the output has the computed fields only; false: they are added")),
                        pkg,
                        "MapRecipe",
                        "Map"),
                new ReflectiveRecipe(
                        "router",
                        ComponentKind.ROUTER,
                        "sends each message to the out_* port of the first route whose CEL condition holds",
                        PortRule.router(),
                        List.of(
                                ConfigKey.required(
                                                "routes",
                                                ConfigType.LIST,
                                                "the routes in order: [{port: out_big, when: \"amount > 100\"}]")
                                        .elementKeys(
                                                ConfigKey.required(
                                                        "port", ConfigType.STRING, "an out_* port of the router"),
                                                ConfigKey.required("when", ConfigType.EXPRESSION, "CEL condition"))
                                        .min(1),
                                ConfigKey.optional(
                                        "default",
                                        ConfigType.STRING,
                                        null,
                                        "out_* port for messages no route takes; dropped as filtered when left out")),
                        pkg,
                        "RouterRecipe",
                        "Router") {
                    @Override
                    public void check(RecipeCheck check) {
                        super.check(check);
                        checkRoutes(check);
                    }
                },
                new ReflectiveRecipe(
                        "split",
                        ComponentKind.TRANSFORMER,
                        "emits one message per item of a list the CEL expression gives",
                        PortRule.oneInOneOut(),
                        List.of(ConfigKey.required(
                                "items", ConfigType.EXPRESSION, "CEL expression giving a list, e.g. order.lines")),
                        pkg,
                        "Split"),
                new ReflectiveRecipe(
                        "merge",
                        ComponentKind.MERGER,
                        "merges several in_* ports into one out_* port, fairly",
                        PortRule.merger(),
                        List.of(),
                        pkg,
                        "Merge"),
                new ReflectiveRecipe(
                        "batch",
                        ComponentKind.TRANSFORMER,
                        "groups messages into lists of up to size, emitted at the latest window_ms after the first",
                        PortRule.oneInOneOut(),
                        List.of(
                                ConfigKey.optional(
                                                "size",
                                                ConfigType.INTEGER,
                                                null,
                                                "messages per batch at most; with only window_ms: 10000")
                                        .range(1, Integer.MAX_VALUE),
                                ConfigKey.optional(
                                                "window_ms",
                                                ConfigType.DURATION_MS,
                                                null,
                                                "longest wait after a batch's first message; without it batches wait until full")
                                        .range(1, 3_600_000)),
                        pkg,
                        "Batch") {
                    @Override
                    public Optional<String> singleWorker() {
                        return Optional.of(BATCH_SINGLE_WORKER);
                    }

                    @Override
                    public void check(RecipeCheck check) {
                        if (!check.config().has("size") && !check.config().has("window_ms")) {
                            check.problem(
                                    check.component()
                                            .position(check.component().config().isEmpty() ? "name" : "config"),
                                    "batch '" + check.component().name() + "' needs size, window_ms or both",
                                    "e.g. config: {size: 100, window_ms: 1000}");
                        } else {
                            super.check(check);
                        }
                    }
                },
                new ReflectiveRecipe(
                        "sleep",
                        ComponentKind.TRANSFORMER,
                        "waits duration_ms per message, then passes it on (simulates a slow stage)",
                        PortRule.oneInOneOut(),
                        List.of(ConfigKey.required("duration_ms", ConfigType.DURATION_MS, "wait per message")
                                .range(0, 3_600_000)),
                        pkg,
                        "Sleep"),
                new ReflectiveRecipe(
                        "jsonl_sink",
                        ComponentKind.SINK,
                        "appends each message as one JSON line to a file",
                        PortRule.sink(),
                        List.of(
                                ConfigKey.required(
                                        "path", ConfigType.PATH, "the file; relative to the blueprint's directory"),
                                ConfigKey.optional(
                                        "metadata",
                                        ConfigType.BOOLEAN,
                                        true,
                                        "each line carries _id, _ingest_time and _event_time before the body's fields"),
                                ConfigKey.optional(
                                                "flush_ms",
                                                ConfigType.DURATION_MS,
                                                100L,
                                                "longest a written line stays buffered; 0 flushes every line")
                                        .range(0, 3_600_000)),
                        pkg,
                        "JsonlSink") {
                    @Override
                    public Optional<String> singleWorker() {
                        return Optional.of(JSONL_SINK_SINGLE_WORKER);
                    }
                },
                new ReflectiveRecipe(
                        "log_sink",
                        ComponentKind.SINK,
                        "logs each message",
                        PortRule.sink(),
                        List.of(
                                ConfigKey.optional("level", ConfigType.STRING, "info", "log level (any case)")
                                        .allowed("trace", "debug", "info", "warn", "warning", "error"),
                                ConfigKey.optional(
                                        "logger",
                                        ConfigType.STRING,
                                        null,
                                        "logger name; default dev.portflow.recipes.log_sink")),
                        pkg,
                        "LogSink"),
                new ReflectiveRecipe(
                        "store",
                        ComponentKind.SINK,
                        "writes each message to a JDBC table (embedded H2 by default, PostgreSQL by url)",
                        PortRule.sink(),
                        List.of(
                                ConfigKey.optional(
                                        "url",
                                        ConfigType.STRING,
                                        null,
                                        "JDBC url; default: an embedded H2 database in the data directory"),
                                ConfigKey.optional(
                                        "table", ConfigType.STRING, null, "table name; default: the component's name"),
                                ConfigKey.optional(
                                        "key",
                                        ConfigType.STRING,
                                        null,
                                        "field used as primary key (upsert); default: insert only"),
                                ConfigKey.optional("user", ConfigType.STRING, null, "database user"),
                                ConfigKey.optional("password", ConfigType.STRING, null, "database password")),
                        pkg,
                        "Store"));
    }

    // ---------------------------------------------------------------- api_endpoint

    /** The HTTP ingress: {@link ApiEndpoint} with the fixed ports {@code out_requests}, {@code err_requests}. */
    static Recipe apiEndpoint() {
        return Recipe.builder("api_endpoint", ComponentKind.SOURCE)
                .description(
                        "HTTP ingress: POST <path> with a JSON body; 202 when queued, 503 + Retry-After under backpressure")
                .ports(PortRule.source().withFixedOutputs(ApiEndpoint.OUT_PORT, ApiEndpoint.ERR_PORT))
                .config(
                        ConfigKey.required("path", ConfigType.STRING, "request path, e.g. /orders"),
                        ConfigKey.optional(
                                        "timeout_ms",
                                        ConfigType.DURATION_MS,
                                        2000L,
                                        "how long a request may wait for room in the buffer before a 503")
                                .range(1, 600_000),
                        ConfigKey.optional(
                                        "max_body_bytes",
                                        ConfigType.INTEGER,
                                        (long) IngressSettings.DEFAULT_MAX_BODY_BYTES,
                                        "larger bodies are answered 413")
                                .range(1, 64L * 1024 * 1024),
                        ConfigKey.optional(
                                "auth_token",
                                ConfigType.STRING,
                                null,
                                "when set, requests need Authorization: Bearer <token>"))
                .check(BuiltInRecipes::checkApiEndpoint)
                .factory(BuiltInRecipes::createApiEndpoint)
                .build();
    }

    private static Component createApiEndpoint(RecipeContext ctx) {
        RecipeConfig c = ctx.config();
        IngressSettings settings = new IngressSettings(
                c.getString("path"),
                c.getDuration("timeout_ms"),
                c.getInt("max_body_bytes"),
                c.getString("auth_token"));
        JsonSchemaDecoder decoder =
                ctx.portSchema(ApiEndpoint.OUT_PORT).map(JsonSchemaDecoder::of).orElseGet(JsonSchemaDecoder::anyJson);
        return new ApiEndpoint<>(new Ingress<>(settings, decoder));
    }

    /** The path is checked with every endpoint's at once, by {@link ApiPaths}. */
    private static void checkApiEndpoint(RecipeCheck check) {
        String token = check.config().getString("auth_token");
        if (token != null && token.isBlank()) {
            check.problem(
                    check.entry("auth_token")
                            .map(ConfigEntry::valuePosition)
                            .orElse(check.component().position()),
                    "auth_token must not be blank",
                    "leave it out to disable authentication");
        }
    }

    // ---------------------------------------------------------------- router

    private static void checkRoutes(RecipeCheck check) {
        ConfigEntry routes = check.entry("routes").orElse(null);
        Set<String> connected = check.outputPorts();
        Set<String> routed = new LinkedHashSet<>();
        if (routes != null && routes.value() instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Mapping m
                        && m.get("port") instanceof YamlNode.Scalar port
                        && !port.isNull()) {
                    checkRoutePort(check, port.text(), port.position(), connected, "route");
                    routed.add(port.text());
                }
            }
        }
        ConfigEntry def = check.entry("default").orElse(null);
        if (def != null && def.value() instanceof YamlNode.Scalar port && !port.isNull()) {
            checkRoutePort(check, port.text(), port.position(), connected, "default");
            routed.add(port.text());
        }
        if (routes == null || !(routes.value() instanceof YamlNode.Sequence)) {
            return; // already reported by the config check
        }
        for (String out : connected) {
            if (!PortName.isError(out) && !routed.contains(out)) {
                check.problem(
                        routes.keyPosition(),
                        "router '" + check.component().name() + "' has " + out + " connected, but no route sends to it",
                        "add a route {port: " + out + ", when: ...} or set default: " + out);
            }
        }
    }

    private static void checkRoutePort(
            RecipeCheck check, String port, Position at, Set<String> connected, String what) {
        if (!PortName.isOutput(port) || PortName.isError(port)) {
            check.problem(
                    at,
                    what + " port '" + port + "' is not an out_* port name",
                    "router outputs are named out_<name>, e.g. out_big");
        } else if (!connected.contains(port)) {
            List<String> outs =
                    connected.stream().filter(p -> !PortName.isError(p)).toList();
            String near = Names.nearest(port, outs);
            check.problem(
                    at,
                    what + " port '" + port + "' of router '"
                            + check.component().name() + "' is not connected",
                    near != null
                            ? "did you mean '" + near + "'?"
                            : "connect it: - {from: " + check.component().name() + "." + port
                                    + ", to: <component>.in_<name>}");
        }
    }
}
