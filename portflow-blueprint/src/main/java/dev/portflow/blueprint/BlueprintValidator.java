package dev.portflow.blueprint;

import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.component.Component;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.http.JsonSchemaDecoder;
import dev.portflow.kafka.KafkaEdge;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PortName;
import dev.portflow.runtime.ComponentKind;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need the whole blueprint: names, references, recipes and classes, configuration,
 * ports, schemas across connections, cycles. Collects every problem; never stops at the first.
 *
 * <p>Problems come in two tiers, causes first: those of single elements (a name, a reference, a
 * value, an option, a connection), then those of the pipeline as a whole (port counts, unconnected
 * components, recipe checks that look at the connected ports such as routes without a connection,
 * cycles), which may follow from the former. A component named by a broken connection, or the likely target of a
 * misspelt name, is left out of the whole-pipeline rules that count its connections: one typo gives
 * one problem. Nothing here recurses on the size of the blueprint.
 */
final class BlueprintValidator {

    static final List<String> OVERFLOW_NAMES =
            List.of("block", "block_with_timeout", "drop_oldest", "drop_newest", "fail");
    static final List<String> TRANSPORTS = List.of(ConnectionSpec.MEMORY, ConnectionSpec.KAFKA);

    /** A component as validation understood it; what assembly builds from. */
    record Resolved(
            ComponentSpec spec,
            Recipe recipe,
            Class<?> userClass,
            ComponentKind kind,
            RecipeConfig config,
            boolean configOk,
            Set<String> inputs,
            Set<String> outputs) {

        String who() {
            String type =
                    recipe != null ? recipe.name() : kind != null ? kind.name().toLowerCase(Locale.ROOT) : "component";
            return type + " '" + spec.name() + "'";
        }

        PortRule rule() {
            return recipe != null ? recipe.ports() : PortRule.forKind(kind);
        }
    }

    /** A connection whose two ends check out. */
    record Edge(ConnectionSpec spec, Resolved from, Resolved to) {}

    /**
     * The problems, and what was understood (complete only when there are no problems).
     *
     * @param elementProblems  problems of single elements, in file order
     * @param pipelineProblems problems of the pipeline as a whole (which may follow from the former), in file order
     */
    record Result(
            List<Problem> elementProblems,
            List<Problem> pipelineProblems,
            Map<String, Resolved> components,
            List<Edge> edges) {

        /** Every problem, causes first: the elements', then the pipeline's. */
        List<Problem> problems() {
            List<Problem> all = new ArrayList<>(elementProblems);
            all.addAll(pipelineProblems);
            return all;
        }
    }

    /** The component that reads a Kafka connection into {@code to.port} in the receiving process. */
    static String receiverName(Endpoint to) {
        return "kafka_in_" + to.component() + "_" + to.port();
    }

    private final Blueprint blueprint;
    private final RecipeRegistry recipes;
    private final ClassLoader loader;
    /** The components {@code --only} names, or {@code null} for all. */
    private final List<String> only;

    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> pipelineProblems = new ArrayList<>();
    private final Map<String, Resolved> components = new LinkedHashMap<>();
    private final Map<String, ComponentSpec> declared = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    /** Components named by some connection, valid or not. */
    private final Set<String> mentioned = new java.util.HashSet<>();
    /**
     * Components named by a connection that has a problem, or the likely target of a misspelt name in
     * one: their port counts are not known.
     */
    private final Set<String> incomplete = new java.util.HashSet<>();

    private BlueprintValidator(Blueprint blueprint, RecipeRegistry recipes, ClassLoader loader, List<String> only) {
        this.blueprint = blueprint;
        this.recipes = recipes;
        this.loader = loader;
        this.only = only == null || only.isEmpty() ? null : List.copyOf(new LinkedHashSet<>(only));
    }

    static Result validate(Blueprint blueprint, RecipeRegistry recipes, ClassLoader loader) {
        return validate(blueprint, recipes, loader, null);
    }

    /**
     * Validates {@code blueprint}; with {@code only} (component names; {@code null} or empty for all)
     * also that those components exist and that every connection between one of them and another
     * component goes over Kafka.
     */
    static Result validate(Blueprint blueprint, RecipeRegistry recipes, ClassLoader loader, List<String> only) {
        BlueprintValidator v = new BlueprintValidator(blueprint, recipes, loader, only);
        v.run();
        return new Result(
                v.problems.stream().sorted(Problem.BY_POSITION).toList(),
                v.pipelineProblems.stream().sorted(Problem.BY_POSITION).toList(),
                v.components,
                List.copyOf(v.edges));
    }

    private void problem(Position at, String message, String hint) {
        problems.add(Problem.at(blueprint.file(), at, message, hint));
    }

    /** A problem of the pipeline as a whole, listed after those of single elements. */
    private void pipelineProblem(Position at, String message, String hint) {
        pipelineProblems.add(Problem.at(blueprint.file(), at, message, hint));
    }

    private void run() {
        String name = blueprint.name();
        if (name != null && !Names.NAME.matcher(name).matches()) {
            problem(
                    blueprint.position("name"),
                    "pipeline name '" + name + "' is invalid",
                    "use letters, digits, '_' and '-'");
        }
        checkSchemas();
        Map<ComponentSpec, Resolved> resolved = new LinkedHashMap<>();
        for (ComponentSpec c : blueprint.components()) {
            resolved.put(c, resolve(c));
        }
        for (ConnectionSpec c : blueprint.connections()) {
            connection(c);
        }
        if (!blueprint.positions().containsKey("connections")
                && !blueprint.components().isEmpty()) {
            problem(
                    blueprint.position(),
                    "the blueprint has no connections",
                    "add connections: with entries like - {from: <component>.out_<name>, to: <component>.in_<name>}");
        } else {
            for (Resolved r : resolved.values()) {
                if (registered(r) && r.kind() != null) {
                    portRule(r);
                }
            }
        }
        RecipeChecks.run(
                resolved.values().stream()
                        .filter(r -> r.recipe() != null && r.configOk() && registered(r))
                        .toList(),
                incomplete,
                this::problem,
                this::pipelineProblem);
        WorkerRules.check(resolved.values(), loader, this::problem);
        ApiPaths.check(components.values(), this::problem);
        SinkFiles.check(components.values(), this::problem);
        cycles();
        kafkaPorts();
        onlySubset();
    }

    // ---------------------------------------------------------------- schemas

    private void checkSchemas() {
        for (SchemaSpec s : blueprint.schemas().values()) {
            try {
                JsonSchemaDecoder.of(s.json());
            } catch (IllegalArgumentException e) {
                problem(
                        s.source().position(),
                        "schema '" + s.name() + "' is not a valid JSON Schema: " + e.getMessage(),
                        null);
            }
            for (SchemaCheck.Finding f : SchemaCheck.metaSchemaProblems(s.json())) {
                problem(
                        SchemaCheck.locate(s.source(), f.location()),
                        "schema '" + s.name() + "' is not a valid JSON Schema: " + f.describe(),
                        "schemas are JSON Schema draft 2020-12, written in YAML");
            }
        }
    }

    private void schemaReference(PortSpec port) {
        if (port.schema() != null && !blueprint.schemas().containsKey(port.schema())) {
            problem(
                    port.schemaPosition(),
                    "unknown schema '" + port.schema() + "'",
                    blueprint.schemas().isEmpty()
                            ? "declare it under schemas: at the top level"
                            : Suggestions.didYouMean(
                                    port.schema(), blueprint.schemas().keySet(), "schemas declared"));
        }
    }

    // ---------------------------------------------------------------- components

    /** Whether {@code r} is the component its name stands for (not a second one declared with that name). */
    @SuppressWarnings("ReferenceEquality") // this very Resolved: a record with mutable port sets
    private boolean registered(Resolved r) {
        return r.spec().name() != null && components.get(r.spec().name()) == r;
    }

    private Resolved resolve(ComponentSpec c) {
        String name = c.name();
        if (name != null) {
            ComponentSpec first = declared.get(name);
            if (!Names.NAME.matcher(name).matches()) {
                problem(
                        c.position("name"),
                        "component name '" + name + "' is invalid",
                        "use letters, digits, '_' and '-' (a '.' separates component and port in connections)");
                name = null;
            } else if (first != null) {
                problem(
                        c.position("name"),
                        "component '" + name + "' is declared twice",
                        "first declared at line " + first.position("name").line() + "; component names must be unique");
                name = null;
            } else {
                declared.put(name, c);
            }
        }
        Recipe recipe = null;
        Class<?> userClass = null;
        ComponentKind kind = null;
        Map<String, Object> config = Map.of();
        boolean configOk = true;
        String label = name != null ? "'" + name + "'" : "this component";
        if (c.recipe() != null && c.className() != null) {
            problem(
                    c.position("class"),
                    "component " + label + " has both recipe: and class:",
                    "keep recipe: for a built-in, or class: for your own component");
        } else if (c.recipe() == null && c.className() == null) {
            if (!c.positions().containsKey("recipe") && !c.positions().containsKey("class")) {
                problem(
                        c.position("name"),
                        "component " + label + " has neither recipe: nor class:",
                        "add recipe: <" + String.join("|", recipes.names()) + "> or class: <your Component class>");
            }
        } else if (c.recipe() != null) {
            recipe = recipes.find(c.recipe()).orElse(null);
            if (recipe == null) {
                problem(
                        c.position("recipe"),
                        "unknown recipe '" + c.recipe() + "'",
                        Suggestions.didYouMean(c.recipe(), recipes.names(), "known recipes")
                                + "; or class: <your Component class>");
            } else {
                kind = recipe.kind();
                ConfigChecker checker = new ConfigChecker(this::problem);
                config = checker.check(
                        c.config(),
                        recipe.configKeys(),
                        recipe.name() + " " + label,
                        c.position(c.positions().containsKey("config") ? "config" : "name"));
                configOk = checker.valuesOk();
            }
        } else {
            userClass = loadUserClass(c);
            if (userClass != null) {
                kind = kindOf(userClass);
                if (!c.config().isEmpty() && !Configurable.class.isAssignableFrom(userClass)) {
                    problem(
                            c.position("config"),
                            "class " + userClass.getName() + " takes no config",
                            "implement dev.portflow.blueprint.spi.Configurable to receive it, or remove config:");
                }
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            c.config().values().forEach(e -> raw.put(e.key(), e.value().toJava()));
            config = raw;
        }
        RecipeConfig recipeConfig = RecipeConfig.of(name == null ? "?" : name, config, blueprint.directory());
        Resolved r = new Resolved(
                c, recipe, userClass, kind, recipeConfig, configOk, new LinkedHashSet<>(), new LinkedHashSet<>());
        if (name != null) {
            components.put(name, r);
        }
        declaredPorts(r);
        return r;
    }

    private Class<?> loadUserClass(ComponentSpec c) {
        String className = c.className();
        Position at = c.position("class");
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            problem(
                    at,
                    "class '" + className + "' not found",
                    className.contains(".")
                            ? "put its jar on the classpath or pass it to the loader as a lib jar"
                            : "use the fully qualified name, e.g. com.acme." + className);
            return null;
        }
        if (!Component.class.isAssignableFrom(type)) {
            problem(
                    at,
                    "class " + className + " is not a Portflow component",
                    "implement one of dev.portflow.component.Source, Transformer, Sink, Router or Merger");
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problem(at, "class " + className + " is abstract", "name a concrete class");
            return null;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                problem(at, "class " + className + " is not public", "make " + t.getName() + " public");
                return null;
            }
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            problem(
                    at,
                    "class " + className + " is an inner class",
                    "make it static, so it can be made without an outer instance");
            return null;
        }
        if (Arrays.stream(type.getConstructors()).noneMatch(k -> k.getParameterCount() == 0)) {
            problem(
                    at,
                    "class " + className + " has no public no-arg constructor",
                    "add public " + type.getSimpleName() + "() { }, and read settings in Configurable.configure");
            return null;
        }
        return type;
    }

    static ComponentKind kindOf(Class<?> type) {
        if (Source.class.isAssignableFrom(type)) {
            return ComponentKind.SOURCE;
        } else if (Transformer.class.isAssignableFrom(type)) {
            return ComponentKind.TRANSFORMER;
        } else if (Sink.class.isAssignableFrom(type)) {
            return ComponentKind.SINK;
        } else if (Router.class.isAssignableFrom(type)) {
            return ComponentKind.ROUTER;
        } else if (Merger.class.isAssignableFrom(type)) {
            return ComponentKind.MERGER;
        }
        throw new IllegalArgumentException(type + " is not a component");
    }

    /** The ports listed under {@code inputs:} and {@code outputs:}. */
    private void declaredPorts(Resolved r) {
        ComponentSpec c = r.spec();
        PortRule rule = r.kind() == null ? null : r.rule();
        Set<String> seen = new LinkedHashSet<>();
        for (PortSpec p : c.inputs()) {
            if (!seen.add(p.name())) {
                problem(p.position(), "port '" + p.name() + "' is listed twice", null);
            } else if (!PortName.isInput(p.name())) {
                problem(
                        p.position(),
                        PortName.isOutput(p.name())
                                ? "'" + p.name() + "' is an output port name, but it is listed in inputs"
                                : "bad port name '" + p.name() + "'",
                        "input ports are named in_<name> (lower case letters, digits, '_'), e.g. in_orders");
            } else if (rule != null && rule.maxInputs() == 0) {
                problem(p.position(), r.who() + " is a source: it has no input ports", "remove inputs:");
            } else if (rule != null
                    && !rule.fixedInputs().isEmpty()
                    && !rule.fixedInputs().contains(p.name())) {
                problem(
                        p.position(),
                        r.who() + " has no input port '" + p.name() + "'",
                        Suggestions.didYouMean(p.name(), rule.fixedInputs(), "its input ports"));
            }
            schemaReference(p);
        }
        for (PortSpec p : c.outputs()) {
            if (!seen.add(p.name())) {
                problem(p.position(), "port '" + p.name() + "' is listed twice", null);
            } else if (!PortName.isOutput(p.name())) {
                problem(
                        p.position(),
                        PortName.isInput(p.name())
                                ? "'" + p.name() + "' is an input port name, but it is listed in outputs"
                                : "bad port name '" + p.name() + "'",
                        "output ports are named out_<name> or err_<name> (lower case letters, digits, '_'), e.g. out_orders");
            } else if (rule != null
                    && !rule.fixedOutputs().isEmpty()
                    && !rule.fixedOutputs().contains(p.name())) {
                problem(
                        p.position(),
                        r.who() + " has no output port '" + p.name() + "'",
                        Suggestions.didYouMean(p.name(), rule.fixedOutputs(), "its output ports"));
            } else if (rule != null && rule.maxOutputs() == 0 && !PortName.isError(p.name())) {
                problem(
                        p.position(),
                        r.who() + " is a sink: it has no out_* ports",
                        "a sink may only have an err_* port");
            }
            schemaReference(p);
        }
    }

    // ---------------------------------------------------------------- connections

    private final Map<String, ConnectionSpec> seenConnections = new HashMap<>();

    private void connection(ConnectionSpec c) {
        int before = problems.size();
        connectionChecks(c);
        for (Endpoint e : new Endpoint[] {c.from(), c.to()}) {
            if (e != null) {
                mentioned.add(e.component());
                if (problems.size() > before) {
                    incomplete.add(e.component());
                }
            }
        }
    }

    private void connectionChecks(ConnectionSpec c) {
        boolean ok = c.from() != null && c.to() != null;
        Resolved from = c.from() == null ? null : endpoint(c.from(), true);
        Resolved to = c.to() == null ? null : endpoint(c.to(), false);
        ok &= from != null && to != null;
        if (c.from() != null && c.to() != null) {
            ConnectionSpec first = seenConnections.putIfAbsent(c.from() + ">" + c.to(), c);
            if (first != null) {
                problem(
                        c.position(),
                        "duplicate connection " + c.describe(),
                        "first declared at line " + first.position().line()
                                + "; remove one (to broadcast, connect one out_* port to several inputs)");
                ok = false;
            }
        }
        options(c, from);
        if (ok) {
            schemasAcross(c, from, to);
            from.outputs().add(c.from().port());
            to.inputs().add(c.to().port());
            edges.add(new Edge(c, from, to));
        }
    }

    /** The component of one end of a connection if the end checks out, else {@code null}. */
    private Resolved endpoint(Endpoint e, boolean sending) {
        Resolved r = components.get(e.component());
        boolean ok = true;
        if (r == null) {
            problem(
                    e.position(),
                    "unknown component '" + e.component() + "'",
                    declared.isEmpty()
                            ? "declare it under components:"
                            : Suggestions.didYouMean(e.component(), declared.keySet(), "components"));
            String meant = Suggestions.nearest(e.component(), declared.keySet());
            if (meant != null) {
                incomplete.add(meant); // this connection was probably meant for it: its count would mislead
            }
            ok = false;
        }
        String port = e.port();
        if (sending && !PortName.isOutput(port)) {
            problem(
                    e.portPosition(),
                    PortName.isInput(port)
                            ? "'" + port + "' is an input port: a connection goes from an output port to an input port"
                            : "bad port name '" + port + "'",
                    PortName.isInput(port)
                            ? "from: takes an out_* or err_* port; are from and to swapped?"
                            : "output ports are named out_<name> or err_<name> (lower case letters, digits, '_'), e.g. out_"
                                    + suggestSuffix(port));
            return null;
        }
        if (!sending && !PortName.isInput(port)) {
            problem(
                    e.portPosition(),
                    PortName.isOutput(port)
                            ? "'" + port + "' is an output port: a connection goes from an output port to an input port"
                            : "bad port name '" + port + "'",
                    PortName.isOutput(port)
                            ? "to: takes an in_* port; are from and to swapped?"
                            : "input ports are named in_<name> (lower case letters, digits, '_'), e.g. in_"
                                    + suggestSuffix(port));
            return null;
        }
        if (!ok || r.kind() == null) {
            return ok ? r : null;
        }
        PortRule rule = r.rule();
        List<String> fixed = sending ? rule.fixedOutputs() : rule.fixedInputs();
        boolean declares = sending ? r.spec().declaresOutputs() : r.spec().declaresInputs();
        List<String> declaredNames = (sending ? r.spec().outputs() : r.spec().inputs())
                .stream()
                        .map(PortSpec::name)
                        .filter(sending ? PortName::isOutput : PortName::isInput)
                        .toList();
        String direction = sending ? "output" : "input";
        if (!sending && rule.maxInputs() == 0) {
            problem(e.portPosition(), r.who() + " is a source: it has no input ports", "connect to another component");
            return null;
        }
        if (sending && rule.maxOutputs() == 0 && !PortName.isError(port)) {
            problem(
                    e.portPosition(),
                    r.who() + " is a sink: it has no out_* ports",
                    "a sink may only have an err_* port; connect from another component");
            return null;
        }
        if (!fixed.isEmpty() && !fixed.contains(port)) {
            problem(
                    e.portPosition(),
                    r.who() + " has no " + direction + " port '" + port + "'",
                    Suggestions.didYouMean(port, fixed, "its " + direction + " ports"));
            return null;
        }
        if (fixed.isEmpty() && declares && !declaredNames.contains(port) && !PortName.isError(port)) {
            String list = sending ? "outputs" : "inputs";
            problem(
                    e.portPosition(),
                    "component '" + e.component() + "' has no " + direction + " port '" + port + "'",
                    declaredNames.isEmpty()
                            ? "add it to the component's " + list + ": list"
                            : Suggestions.didYouMean(port, declaredNames, "its " + list + " list")
                                    + "; or add it there");
            return null;
        }
        return r;
    }

    private static String suggestSuffix(String port) {
        String s = port.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_").replaceAll("^(in|out|err)_?", "");
        return s.isEmpty() ? "orders" : s;
    }

    private void options(ConnectionSpec c, Resolved from) {
        Integer size = c.bufferSize();
        if (size != null && size < 1) {
            problem(
                    c.position("buffer_size"),
                    size == 0
                            ? "buffer_size must be at least 1, was 0: a buffer with no room can never take a message"
                            : "buffer_size must be at least 1, was " + size,
                    "use 1 for a hand-off, or leave it out for the default " + Assembler.DEFAULT_CAPACITY);
        }
        OverflowPolicy policy = c.overflowPolicy();
        if (c.overflow() != null && policy == null) {
            problem(
                    c.position("overflow"),
                    "unknown overflow policy '" + c.overflow() + "'",
                    Suggestions.didYouMean(c.overflow(), OVERFLOW_NAMES, "one of"));
        }
        if (from != null
                && IngressSends.isIngress(from.recipe())
                && c.from() != null
                && IngressSends.carriesRequests(c.from().port())) {
            ingressOptions(c, from, policy);
        }
        if (c.timeoutMs() != null) {
            if (c.timeoutMs() < 1) {
                problem(
                        c.position("timeout_ms"),
                        "timeout_ms must be at least 1, was " + c.timeoutMs(),
                        "how long a block_with_timeout send waits, in milliseconds; the default is 2000");
            } else {
                OverflowPolicy effective = policy != null
                        ? policy
                        : c.overflow() == null && from != null ? Assembler.defaultPolicy(from.recipe()) : null;
                if (effective != null && effective != OverflowPolicy.BLOCK_WITH_TIMEOUT) {
                    problem(
                            c.position("timeout_ms"),
                            "timeout_ms only applies to overflow: block_with_timeout, but this" + " connection uses "
                                    + effective.name().toLowerCase(Locale.ROOT),
                            "add overflow: block_with_timeout, or remove timeout_ms");
                }
            }
        }
        String transport = c.transport();
        if (transport != null && !TRANSPORTS.contains(transport)) {
            problem(
                    c.position("transport"),
                    "unknown transport '" + transport + "'",
                    Suggestions.didYouMean(transport, TRANSPORTS, "one of"));
        } else if (c.isKafka()) {
            kafkaOptions(c, policy);
        } else if (c.topic() != null) {
            problem(
                    c.position("topic"),
                    "topic only applies to transport: kafka",
                    "add transport: kafka, or remove topic");
        }
    }

    /**
     * A connection that takes an ingress's accepted requests: never {@code drop_oldest} (a request
     * answered 202 would be lost), and no {@code timeout_ms} longer than the endpoint's own, which
     * bounds every request's wait (see {@link IngressSends}).
     */
    private void ingressOptions(ConnectionSpec c, Resolved from, OverflowPolicy policy) {
        if (policy == OverflowPolicy.DROP_OLDEST && !c.isKafka()) { // Kafka says it in its own words
            problem(
                    c.position("overflow"),
                    "overflow drop_oldest cannot apply to a connection from api_endpoint '"
                            + from.spec().name() + "': a request answered 202 must not be dropped afterwards",
                    "use block_with_timeout (the default; a full buffer answers 503 + Retry-After after the wait),"
                            + " or drop_newest or fail to answer 503 at once");
        }
        OverflowPolicy effective =
                policy != null ? policy : c.overflow() == null ? Assembler.defaultPolicy(from.recipe()) : null;
        if (effective == OverflowPolicy.BLOCK_WITH_TIMEOUT
                && c.timeoutMs() != null
                && from.configOk()
                && from.config().has("timeout_ms")) {
            long ingress = from.config().getLong("timeout_ms");
            if (c.timeoutMs() > ingress) {
                problem(
                        c.position("timeout_ms"),
                        "timeout_ms " + c.timeoutMs() + " never applies: api_endpoint '"
                                + from.spec().name() + "' answers 503 after its own timeout_ms (" + ingress + " ms)",
                        "a request waits for the shorter of the two; leave timeout_ms out here, or raise the"
                                + " api_endpoint's timeout_ms");
            }
        }
    }

    /** What a Kafka connection may say: a valid topic, no drop_oldest. */
    private void kafkaOptions(ConnectionSpec c, OverflowPolicy policy) {
        if (c.topic() != null) {
            if (!KafkaEdge.isTopicName(c.topic())) {
                problem(
                        c.position("topic"),
                        "'" + c.topic() + "' is not a Kafka topic name",
                        "1 to 249 characters of a-z A-Z 0-9 . _ -, not . or ..");
            }
        } else if (c.from() != null
                && blueprint.name() != null
                && !KafkaEdge.isTopicName(c.topicIn(blueprint.name()))) {
            problem(
                    c.position("transport"),
                    "the default topic '" + c.topicIn(blueprint.name()) + "' is not a Kafka topic name",
                    "give the connection a topic: (1 to 249 of a-z A-Z 0-9 . _ -)");
        }
        if (policy == OverflowPolicy.DROP_OLDEST) {
            problem(
                    c.position("overflow"),
                    "overflow drop_oldest cannot apply to a kafka connection: a record"
                            + " in a topic cannot be taken back",
                    "use drop_newest, block, block_with_timeout or fail; buffer_size is the consumer lag allowed");
        }
    }

    private void schemasAcross(ConnectionSpec c, Resolved from, Resolved to) {
        String out = from.spec().port(c.from().port()).map(PortSpec::schema).orElse(null);
        String in = to.spec().port(c.to().port()).map(PortSpec::schema).orElse(null);
        if (out != null
                && in != null
                && !out.equals(in)
                && blueprint.schemas().containsKey(out)
                && blueprint.schemas().containsKey(in)) {
            problem(
                    c.position(),
                    "schema mismatch: " + c.from() + " carries '" + out + "' but " + c.to() + " expects '" + in + "'",
                    "declare the same schema on both ports, or convert between them with a map component");
        }
    }

    // ---------------------------------------------------------------- port rules

    private void portRule(Resolved r) {
        Set<String> ins = r.inputs();
        Set<String> outs = r.outputs();
        Position at = r.spec().position("name");
        if (incomplete.contains(r.spec().name())) {
            return; // a connection of it (or meant for it) has a problem already; its port counts would mislead
        }
        if (!mentioned.contains(r.spec().name())) {
            pipelineProblem(
                    at, r.who() + " is not connected to anything", "connect it under connections:, or remove it");
            return;
        }
        List<String> dataOuts = outs.stream().filter(p -> !PortName.isError(p)).toList();
        List<String> errorOuts = outs.stream().filter(PortName::isError).toList();
        if (errorOuts.size() > 1) {
            pipelineProblem(
                    at,
                    r.who() + " has " + errorOuts.size() + " err_* ports " + errorOuts + "; at most one is allowed",
                    "send all of its errors to one err_* port; it may feed several connections");
        }
        PortRule rule = r.rule();
        if (rule.maxInputs() > 0 && (ins.size() < rule.minInputs() || ins.size() > rule.maxInputs())) {
            String need = rule.minInputs() == rule.maxInputs()
                    ? "exactly " + rule.minInputs()
                    : rule.maxInputs() == PortRule.UNBOUNDED
                            ? "at least " + rule.minInputs()
                            : rule.minInputs() + " to " + rule.maxInputs();
            if (ins.isEmpty()) {
                pipelineProblem(
                        at,
                        r.who() + " needs an in_* port connected",
                        "add a connection - {from: <component>.out_<name>, to: "
                                + r.spec().name() + ".in_<name>}");
            } else {
                pipelineProblem(
                        at,
                        r.who() + " needs " + need + " in_* port" + (rule.maxInputs() == 1 ? "" : "s") + ", has " + ins,
                        "connect several upstreams to the same in_* port, or put a merge in front");
            }
        }
        if (rule.maxOutputs() > 0 && (dataOuts.size() < rule.minOutputs() || dataOuts.size() > rule.maxOutputs())) {
            if (dataOuts.isEmpty()) {
                String port = rule.fixedOutputs().isEmpty()
                        ? "out_<name>"
                        : rule.fixedOutputs().getFirst();
                pipelineProblem(
                        at,
                        r.who() + " needs " + (rule.fixedOutputs().isEmpty() ? "an out_* port" : port) + " connected",
                        "add a connection - {from: " + r.spec().name() + "." + port + ", to: <component>.in_<name>}");
            } else {
                pipelineProblem(
                        at,
                        r.who() + " needs exactly " + rule.maxOutputs() + " out_* port, has " + dataOuts,
                        "connect one out_* port to several inputs to broadcast, or use a router");
            }
        }
    }

    // ---------------------------------------------------------------- kafka and --only

    /**
     * A Kafka-bound output port carries its Kafka connection only, a Kafka-bound input port receives
     * that one connection only, each Kafka connection has its own topic, and no component takes the
     * name of a Kafka receiver.
     */
    private void kafkaPorts() {
        if (edges.stream().noneMatch(e -> e.spec().isKafka())) {
            return;
        }
        Map<String, List<Edge>> byFrom = new HashMap<>();
        Map<String, List<Edge>> byTo = new HashMap<>();
        for (Edge e : edges) {
            byFrom.computeIfAbsent(e.spec().from().toString(), k -> new ArrayList<>())
                    .add(e);
            byTo.computeIfAbsent(e.spec().to().toString(), k -> new ArrayList<>())
                    .add(e);
        }
        Map<String, Edge> topics = new HashMap<>();
        for (Edge e : edges) {
            ConnectionSpec c = e.spec();
            if (!c.isKafka()) {
                continue;
            }
            String topic = c.topicIn(blueprint.name());
            @SuppressWarnings("ReferenceEquality") // the others than this very edge
            List<Edge> alsoFrom =
                    byFrom.get(c.from().toString()).stream().filter(o -> o != e).toList();
            if (!alsoFrom.isEmpty()) {
                problem(
                        c.position(),
                        "output port " + c.from() + " sends over Kafka (topic " + topic
                                + "), so it carries this connection only, but it also feeds "
                                + describe(alsoFrom, false),
                        "a port bound to Kafka cannot broadcast: send the other connection from another out_* port,"
                                + " or pass it on from the receiving side of the topic");
            }
            @SuppressWarnings("ReferenceEquality") // the others than this very edge
            List<Edge> alsoTo =
                    byTo.get(c.to().toString()).stream().filter(o -> o != e).toList();
            if (!alsoTo.isEmpty()) {
                problem(
                        c.position(),
                        "input port " + c.to() + " receives over Kafka (topic " + topic
                                + "), so no other connection may feed it, but " + describe(alsoTo, true)
                                + (alsoTo.size() == 1 ? " does" : " do") + " too",
                        "put a merge in front of " + c.to().component() + " and send the merge's output over Kafka");
            }
            Edge first = topics.putIfAbsent(topic, e);
            if (first != null
                    && !first.spec().from().toString().equals(c.from().toString())
                    && !first.spec().to().toString().equals(c.to().toString())) { // those are reported above
                problem(
                        c.position(c.topic() != null ? "topic" : "transport"),
                        "topic " + topic
                                + " is already used by connection "
                                + first.spec().describe() + " (line "
                                + first.spec().position().line() + ")",
                        "each kafka connection needs a topic of its own: its receiver reads everything in it");
            }
            String receiver = receiverName(c.to());
            ComponentSpec taken = declared.get(receiver);
            if (taken != null) {
                problem(
                        taken.position("name"),
                        "component name '" + receiver + "' is taken by the receiver of kafka" + " connection "
                                + c.describe(),
                        "rename the component");
            }
        }
    }

    /** {@code b.in_x (line 9), c.in_x (line 10)}: the other ends of {@code others}. */
    private static String describe(List<Edge> others, boolean from) {
        List<String> parts = new ArrayList<>();
        for (Edge o : others) {
            parts.add((from ? o.spec().from() : o.spec().to()) + " (line "
                    + o.spec().position().line() + ")");
        }
        return String.join(", ", parts);
    }

    /**
     * With {@code --only}: every name is a component, and a connection between a component that runs
     * here and one that runs in another process goes over Kafka.
     */
    private void onlySubset() {
        if (only == null) {
            return;
        }
        Set<String> here = Set.copyOf(only);
        Set<String> reported = new java.util.HashSet<>();
        for (String name : only) {
            if (!declared.containsKey(name) && reported.add(name)) {
                problem(
                        blueprint.position("components"),
                        "--only names unknown component '" + name + "'",
                        declared.isEmpty()
                                ? "declare it under components:"
                                : Suggestions.didYouMean(name, declared.keySet(), "components"));
            }
        }
        if (!reported.isEmpty()) {
            return; // which connections cross is not known until the names are right
        }
        for (Edge e : edges) {
            ConnectionSpec c = e.spec();
            boolean sends = here.contains(c.from().component());
            boolean receives = here.contains(c.to().component());
            if (sends != receives && !c.isKafka()) {
                String elsewhere = sends ? c.to().component() : c.from().component();
                problem(
                        c.position(),
                        "connection " + c.describe() + " crosses --only: " + elsewhere
                                + " runs in another process, so the connection needs transport: kafka",
                        "add transport: kafka to the connection, or add " + elsewhere + " to --only");
            }
        }
    }

    // ---------------------------------------------------------------- cycles

    /** Reports each strongly connected group of components once, naming one loop through it. */
    private void cycles() {
        Map<String, Set<String>> next = new LinkedHashMap<>();
        components.keySet().forEach(c -> next.put(c, new LinkedHashSet<>()));
        for (Edge e : edges) {
            next.get(e.from().spec().name()).add(e.to().spec().name());
        }
        List<Cycles.Cycle> cycles = Cycles.find(next);
        if (cycles.isEmpty()) {
            return;
        }
        Map<String, Cycles.Cycle> cycleOf = new HashMap<>();
        cycles.forEach(cycle -> cycle.members().forEach(m -> cycleOf.put(m, cycle)));
        Map<Cycles.Cycle, Position> firstConnection = new HashMap<>(); // the loop's first connection in the file
        for (Edge e : edges) {
            Cycles.Cycle cycle = cycleOf.get(e.from().spec().name());
            if (cycle != null && cycle.equals(cycleOf.get(e.to().spec().name()))) {
                firstConnection.merge(cycle, e.spec().position(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        for (Cycles.Cycle cycle : cycles) {
            pipelineProblem(
                    firstConnection.getOrDefault(cycle, blueprint.position("connections")),
                    "the connections form a cycle: " + cycle.describe(),
                    "pipelines must be acyclic, so end of stream reaches every component; remove one of these connections");
        }
    }
}
