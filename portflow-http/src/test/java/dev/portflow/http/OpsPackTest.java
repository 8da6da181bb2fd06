package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.Workers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operations pack in {@code ops/} (ops/README.md): the alert rules pass {@code promtool check
 * rules}, their unit tests pass {@code promtool test rules} with a firing and a non-firing case for
 * every alert, the dashboard's queries are valid PromQL, and every metric the dashboard and the
 * rules query is one a real pipeline exports (with the labels they select on). promtool as in
 * {@link PromtoolTest}: skipped where it is not installed, required under {@code CI=true}.
 */
@Timeout(120)
class OpsPackTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path RULES = ROOT.resolve("ops/prometheus/portflow-alerts.yml");
    private static final Path RULE_TESTS = ROOT.resolve("ops/prometheus/tests");
    private static final Path DASHBOARD = ROOT.resolve("ops/grafana/portflow-dashboard.json");

    /**
     * Metrics the pack may query although the in-memory pipeline of
     * {@link #everyMetricTheDashboardAndTheRulesQueryIsExported} does not export them, each with its
     * Micrometer name, which README.md's metric table must list instead. Keep it to what needs a
     * broker, a disk, a database or a trace exporter: anything a memory pipeline can export belongs in that test.
     */
    private static final Map<String, String> NOT_EXPORTED_IN_MEMORY = Map.of(
            // a Kafka receiving edge only (portflow-kafka's KafkaReceiver): the dashboard's "Kafka partitions assigned"
            "portflow_kafka_partitions_assigned", "portflow.kafka.partitions.assigned",
            // a process that exports its traces (portflow-tracing's batch span processor): PortflowTraceSpansDropped
            "portflow_trace_spans_dropped_total", "portflow.trace.spans.dropped",
            "portflow_trace_spans_queued", "portflow.trace.spans.queued",
            // ... and its exporter's outcomes: PortflowTraceExportFailing
            "portflow_trace_spans_exported_total", "portflow.trace.spans.exported");

    private static final Pattern METRIC_NAME = Pattern.compile("portflow_[a-z_]+");
    private static final Pattern SELECTOR = Pattern.compile("(portflow_[a-z_]+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?[a-zA-Z0-9_]+}?");

    private final ObjectMapper yaml = new YAMLMapper();
    private final ObjectMapper json = new JsonMapper();

    @Test
    void theAlertRulesPassPromtoolCheck() throws Exception {
        Promtool.Result check = Promtool.require()
                .run(ROOT, null, "check", "rules", ROOT.relativize(RULES).toString());

        assertThat(check.exitCode())
                .as("promtool check rules exit code; output:%n%s", check.output())
                .isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void theAlertsPassTheirPromtoolUnitTests() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(file -> args.add(ROOT.relativize(file).toString()));

        Promtool.Result test = Promtool.require().run(ROOT, null, args.toArray(String[]::new));

        assertThat(test.exitCode())
                .as("promtool %s exit code; output:%n%s", String.join(" ", args), test.output())
                .isZero();
    }

    /** The acceptance criterion, checked on the files: promtool alone passes a case for a misspelt alert name. */
    @Test
    void everyAlertHasAFiringAndANonFiringUnitTestAndSaysWhatAndHowBad() throws Exception {
        Map<String, JsonNode> alerts = alerts();
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (Path file : testFiles()) {
            JsonNode tests = yaml.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(texts(tests.path("rule_files")))
                    .as("%s loads the rules", file)
                    .containsExactly("../" + RULES.getFileName());
            for (JsonNode test : tests.path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String alert = check.path("alertname").asString();
                    (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
                    if (!alerts.containsKey(alert)) {
                        unknown.add(alert + " (" + file.getFileName() + ")");
                    }
                }
            }
        }

        assertThat(unknown)
                .as("alert names in the unit tests that no rule defines")
                .isEmpty();
        assertThat(firing).as("alerts with a case where they fire").containsAll(alerts.keySet());
        assertThat(quiet).as("alerts with a case where they do not fire").containsAll(alerts.keySet());
        alerts.forEach((name, rule) -> {
            assertThat(rule.path("for").asString()).as("%s: for", name).isNotBlank();
            assertThat(rule.path("labels").path("severity").asString())
                    .as("%s: severity", name)
                    .isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asString())
                    .as("%s: summary", name)
                    .isNotBlank();
            assertThat(rule.path("annotations").path("description").asString())
                    .as("%s: description", name)
                    .isNotBlank();
        });
    }

    @Test
    void theDashboardHasItsVariablesAndEveryPanelQueriesTheChosenDataSource() throws Exception {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.put(variable.path("name").asString(), variable);
        }
        assertThat(variables).containsKeys("datasource", "pipeline");
        JsonNode datasource = Objects.requireNonNull(variables.get("datasource"));
        JsonNode pipeline = Objects.requireNonNull(variables.get("pipeline"));
        assertThat(datasource.path("type").asString()).isEqualTo("datasource");
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
        assertThat(pipeline.path("definition").asString())
                .isEqualTo("label_values(portflow_port_messages_in_total, pipeline)");

        Set<Integer> ids = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel id %s unique", panel.path("id"))
                    .isTrue();
            if (!panel.path("type").asString().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asString())
                        .as("data source of panel %s", panel.path("title"))
                        .isEqualTo("${datasource}");
                assertThat(panel.path("targets"))
                        .as("queries of panel %s", panel.path("title"))
                        .isNotEmpty();
                queries += panel.path("targets").size();
            }
        }
        assertThat(queries).isEqualTo(dashboardQueries().size());
    }

    /** Each query, its Grafana variables filled in, becomes a recording rule that promtool parses. */
    @Test
    void everyDashboardQueryIsValidPromQL(@TempDir Path dir) throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        List<String> names = new ArrayList<>();
        dashboardQueries().forEach((where, expr) -> {
            String record = "dashboard:query_" + rules.size();
            names.add(record + " = " + where);
            String promql = GRAFANA_VARIABLE
                    .matcher(expr.replace("$__rate_interval", "5m"))
                    .replaceAll(".*");
            rules.add(Map.of("record", record, "expr", promql));
        });
        Path file = dir.resolve("dashboard-queries.yml");
        // JSON is YAML
        Files.writeString(
                file,
                json.writeValueAsString(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))),
                StandardCharsets.UTF_8);

        Promtool.Result check = Promtool.require().run(dir, null, "check", "rules", file.toString());

        assertThat(check.exitCode())
                .as(
                        "promtool check rules of the dashboard's queries:%n%s%noutput:%n%s",
                        String.join("\n", names), check.output())
                .isZero();
    }

    /**
     * A real pipeline (api -> gate -> work, autoscaled -> store) behind a real server takes 202s, a
     * 503, a filtered message and a failing one; every {@code portflow_*} name in the dashboard's
     * queries and variables and in the rules' expressions must be in its {@code /metrics}, with the
     * labels the queries select on.
     */
    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsExported() throws Exception {
        Map<String, Set<String>> exported = exportedSeries(scrapeABusyPipeline());
        Map<String, String> queries = new LinkedHashMap<>(dashboardQueries());
        dashboardVariableQueries().forEach(queries::put);
        alerts().forEach((name, rule) ->
                queries.put("alert " + name, rule.path("expr").asString()));

        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        queries.forEach((where, expr) -> {
            Matcher names = METRIC_NAME.matcher(expr);
            while (names.find()) {
                String name = names.group();
                used.add(name);
                if (!exported.containsKey(name) && !NOT_EXPORTED_IN_MEMORY.containsKey(name)) {
                    problems.add(where + ": " + name + " is not exported");
                }
            }
            Matcher selectors = SELECTOR.matcher(expr);
            while (selectors.find()) {
                Set<String> labels = exported.get(selectors.group(1));
                Matcher matchers = MATCHER.matcher(selectors.group(2));
                while (labels != null && matchers.find()) {
                    if (!labels.contains(matchers.group(1))) {
                        problems.add(where + ": " + selectors.group(1) + " has no label " + matchers.group(1)
                                + " (it has " + labels + ")");
                    }
                }
            }
        });
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        NOT_EXPORTED_IN_MEMORY.forEach((name, micrometerName) -> {
            if (!used.contains(name)) {
                problems.add(name + " is allowed without being exported, but nothing in ops/ uses it: drop it");
            }
            if (exported.containsKey(name)) {
                problems.add(name + " is exported by the test pipeline: drop it from NOT_EXPORTED_IN_MEMORY");
            }
            if (!readme.contains("`" + micrometerName + "`")) {
                problems.add(name + ": README.md's metric table does not list `" + micrometerName + "`");
            }
        });

        assertThat(problems)
                .as(
                        "metric names used in ops/ (exported: %s)",
                        exported.keySet().stream()
                                .filter(METRIC_NAME.asMatchPredicate())
                                .toList())
                .isEmpty();
        assertThat(used)
                .as("metrics the pack uses: what the issue asks for at least")
                .contains(
                        "portflow_port_messages_in_total",
                        "portflow_port_messages_out_total",
                        "portflow_port_messages_dropped_total",
                        "portflow_port_buffer_utilization",
                        "portflow_port_message_age_seconds_bucket",
                        "portflow_port_queue_depth",
                        "portflow_component_time_seconds_total",
                        "portflow_component_degraded",
                        "portflow_component_drain_seconds",
                        "portflow_ingress_requests_total",
                        "portflow_kafka_partitions_assigned");
    }

    private static String scrapeABusyPipeline() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch gate = new CountDownLatch(1);
        List<JsonMessage> stored = new CopyOnWriteArrayList<>();
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(IngressSettings.of("/orders"));
        Pipeline pipeline = Pipeline.builder("ops_pack")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .transformer(
                        "gate", JsonMessage.class, JsonMessage.class, (JsonMessage m, Emitter<JsonMessage> out) -> {
                            gate.await();
                            out.emit(m);
                        })
                .transformer(
                        "work", JsonMessage.class, JsonMessage.class, (JsonMessage m, Emitter<JsonMessage> out) -> {
                            if (m.fields().containsKey("fail")) {
                                throw new IllegalStateException("asked to fail");
                            }
                            if (!m.fields().containsKey("filter")) {
                                out.emit(m);
                            }
                        })
                .sink("store", JsonMessage.class, stored::add)
                // one message waits in front of the held gate, the next is refused at once: a 503
                .connect(
                        "api.out_requests",
                        "gate.in_requests",
                        ConnectionOptions.defaults().capacity(1).overflow(OverflowPolicy.DROP_NEWEST))
                .connect("gate.out_orders", "work.in_orders")
                .connect("work.out_orders", "store.in_orders")
                .workers("work", Workers.between(1, 2))
                .build();
        PortflowServer server = PortflowServer.builder(pipeline).port(0).build().start();
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI orders = URI.create(server.baseUri() + "/orders");
            URI metrics = URI.create(server.baseUri() + "/metrics");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(api.ingress()::isAccepting);
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 50 && refused == 0; i++) {
                int status = post(client, orders, "{\"n\": " + i + "}");
                assertThat(status).as("answer %s", i).isIn(202, 503);
                accepted += status == 202 ? 1 : 0;
                refused += status == 503 ? 1 : 0;
            }
            assertThat(refused)
                    .as("a 503 once the buffer in front of the held gate is full")
                    .isOne();
            gate.countDown();
            var gateInput = pipeline.inputPort("gate", "in_requests");
            for (String body : List.of("{\"filter\": true}", "{\"fail\": true}", "{\"n\": \"last\"}")) {
                // the buffer in front of the gate holds one message: wait until the gate took the last
                // one, or the post finds it full and is answered 503 (seen in a CI run)
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> gateInput.metrics().queueDepth() == 0);
                assertThat(post(client, orders, body)).as(body).isEqualTo(202);
            }
            int expected = accepted + 1;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == expected);
            return Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> get(client, metrics), scrape -> scrape.contains("portflow_port_errors_total{"));
        } finally {
            gate.countDown();
            server.drainAndStop(Duration.ofSeconds(10));
        }
    }

    private static int post(HttpClient client, URI uri, String body) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(20))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(20))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Sample name (histograms: with their {@code _bucket}, {@code _count}, {@code _sum} suffix) to its label names. */
    private static Map<String, Set<String>> exportedSeries(String scrape) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : scrape.split("\n", -1)) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
                String labelText = sample.group(2);
                if (labelText != null) {
                    Matcher label = LABEL.matcher(labelText);
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
            }
        }
        return series;
    }

    /** The alerting rules by name. */
    private Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group :
                yaml.readTree(Files.readString(RULES, StandardCharsets.UTF_8)).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.path("alert").asString(), rule);
                }
            }
        }
        assertThat(alerts).as("alerts in %s", RULES).isNotEmpty();
        return alerts;
    }

    private JsonNode dashboard() throws IOException {
        return json.readTree(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
    }

    /** Every {@code expr} of the dashboard's panels (rows' nested panels too), keyed by panel and query. */
    private Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        collectQueries(dashboard().path("panels"), queries);
        assertThat(queries).as("queries in %s", DASHBOARD).isNotEmpty();
        return queries;
    }

    private static void collectQueries(JsonNode panels, Map<String, String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        "panel \"" + panel.path("title").asString() + "\" query "
                                + target.path("refId").asString(),
                        target.path("expr").asString());
            }
            collectQueries(panel.path("panels"), queries);
        }
    }

    /** The queries of the dashboard's query variables ({@code label_values(...)}). */
    private Map<String, String> dashboardVariableQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                String name = "variable " + variable.path("name").asString();
                queries.put(name + " definition", variable.path("definition").asString());
                JsonNode query = variable.path("query");
                queries.put(
                        name + " query", query.isObject() ? query.path("query").asString() : query.asString());
            }
        }
        return queries;
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(RULE_TESTS)) {
            List<Path> tests = files.filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
            assertThat(tests).as("promtool unit tests in %s", RULE_TESTS).isNotEmpty();
            return tests;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }

    /** The checkout's root: the test runs in portflow-http/, the pack is in ../ops. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ops/prometheus/portflow-alerts.yml"))) {
                return dir;
            }
        }
        throw new AssertionError(
                "no ops/prometheus/portflow-alerts.yml above " + Path.of("").toAbsolutePath());
    }
}
