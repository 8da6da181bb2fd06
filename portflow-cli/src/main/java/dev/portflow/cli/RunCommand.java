package dev.portflow.cli;

import dev.portflow.blueprint.Assembly;
import dev.portflow.blueprint.AssemblyOptions;
import dev.portflow.blueprint.BlueprintException;
import dev.portflow.blueprint.BlueprintLoader;
import dev.portflow.blueprint.StartFailureException;
import dev.portflow.blueprint.Validation;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.PortflowServer;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.PipelineState;
import dev.portflow.tracing.OpenTelemetryTracing;
import dev.portflow.tracing.TracingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portflow run [BLUEPRINT] [--only a,b] [--data-dir DIR]}: validates, assembles and runs a
 * blueprint (or, with {@code --only}, those of its components; the others run in other processes,
 * reached over their {@code transport: kafka} connections; {@code transport: disk} connections keep
 * their logs in {@code --data-dir}, else the blueprint's {@code data_dir}, else
 * {@code portflow-data/<pipeline>}) until it ends by itself or the process gets SIGINT /
 * SIGTERM; then drains (ingress answers 503 shutting_down, readiness 503, buffers flow to the sinks),
 * prints what was left in each buffer, and exits 0. The server (dashboard, metrics, health) runs
 * whether or not the components here have an ingress. With a {@code tracing:} section in the blueprint, or
 * an OTLP endpoint in the environment ({@link RunTracing}), it traces messages with OpenTelemetry and
 * shuts the SDK down after the drain, which exports the last spans. With a {@code metrics:} section, or an
 * OTLP endpoint in the environment ({@link RunMetrics}), it pushes the pipeline's meters over OTLP too, the
 * last time after the drain.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a blueprint (no argument: the built-in demo) until Ctrl-C or SIGTERM, then drains it.",
            "With --only, runs some of its components; the others run in other processes, joined by"
                    + " transport: kafka connections.",
            "Exit 0 when drained, 2 for an invalid blueprint or arguments, 1 when it fails to start or drain."
        })
final class RunCommand implements Callable<Integer> {

    static final String DEMO_RESOURCE = "/dev/portflow/cli/demo.yaml";

    private static final String DEFAULT_LOG_LEVEL = "info";

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "BLUEPRINT",
            description =
                    "the blueprint YAML file; without it, the built-in demo (written to ./portflow-demo/demo.yaml)")
    private @Nullable Path blueprint;

    @CommandLine.Mixin
    private LibDirectories lib = new LibDirectories();

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "override the blueprint's server port (0: any free port)")
    private @Nullable Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "override the blueprint's server host")
    private @Nullable String host;

    @Option(names = "--only", paramLabel = "COMPONENT", split = ",", description = BlueprintArgument.ONLY_HELP)
    private @Nullable List<String> only;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "where transport: disk connections keep their logs, overriding the blueprint's data_dir"
                    + " (default: data_dir, else portflow-data/<pipeline>); one process at a time may use it")
    private @Nullable Path dataDir;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            description = "this process's name among the processes that run the same components (default: the"
                    + " environment variable PORTFLOW_INSTANCE_ID): its Kafka consumers are static group members,"
                    + " so a restart with the same id gets its partitions back at once; given here, it is also the"
                    + " service.instance.id of the traces and the OTLP metrics; 1 to 200 of a-z A-Z 0-9 . _ -")
    private @Nullable String instanceId;

    @Option(
            names = "--drain-timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "how long a shutdown waits for the buffers to drain (default: ${DEFAULT-VALUE});"
                    + " a second Ctrl-C or SIGTERM stops at once")
    private long drainSeconds;

    @Option(
            names = "--leftovers",
            paramLabel = "FILE",
            description = "where a drain that timed out writes the messages it left, one JSON object per line"
                    + " (default: portflow-leftovers/<pipeline>-<time>.jsonl)")
    private @Nullable Path leftoversFile;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = DEFAULT_LOG_LEVEL,
            description = "trace, debug, info, warn, error or off (default: ${DEFAULT-VALUE}); debug and trace"
                    + " also print stack traces")
    private String logLevel = DEFAULT_LOG_LEVEL;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (drainSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--drain-timeout must be at least 1 second");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--port must be 0..65535 (0: any free port), was " + port);
        }
        if (host != null && (host.isBlank() || host.chars().anyMatch(Character::isWhitespace))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--host must be a host name or address, was '" + host + "'");
        }
        if (instanceId != null) {
            try {
                AssemblyOptions.defaults().instanceId(instanceId);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--instance-id: " + e.getMessage());
            }
        }
        if (dataDir != null && dataDir.toString().isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir must name a directory, was ''");
        }
        try {
            CliLogging.configure(CliLogging.parse(logLevel));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log-level: " + e.getMessage());
        }
        List<String> names = BlueprintArgument.onlyNames(only, spec.commandLine());
        Path file = blueprint != null ? blueprint : writeDemo(out);
        BlueprintLoader libLoader = lib.loader(err);
        if (libLoader == null) {
            return PortflowCli.INVALID;
        }
        try (BlueprintLoader loader = libLoader) {
            Validation validation = BlueprintArgument.validate(loader, file, names, err);
            if (validation == null || !validation.isValid()) {
                return PortflowCli.INVALID;
            }
            Blueprint model = validation.orThrow();
            AssemblyOptions options = AssemblyOptions.defaults().only(names);
            if (port != null) {
                options = options.port(port);
            }
            if (host != null) {
                options = options.host(host);
            }
            if (dataDir != null) {
                options = options.diskDirectory(dataDir);
            }
            options = options.instanceId(instanceId);
            RunMetrics.Export metrics;
            try {
                metrics = RunMetrics.settings(model.metrics(), System.getenv());
                if (metrics != null) {
                    metrics.settings().checkEnvironment(); // what Micrometer reads from the OTEL_* variables itself
                    options = options.otlpMetrics(metrics.settings());
                }
            } catch (IllegalArgumentException e) {
                err.println("portflow: metrics: " + e.getMessage());
                return PortflowCli.INVALID;
            }
            TracingSettings tracingSettings = RunTracing.settings(model.tracing(), System.getenv());
            OpenTelemetryTracing tracing = null;
            if (tracingSettings != null) {
                try {
                    // the resource as the metrics' has it: service.name the pipeline's, service.instance.id
                    // --instance-id's, unless OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say otherwise
                    tracing = OpenTelemetryTracing.fromEnvironment(
                            tracingSettings, Objects.requireNonNullElse(model.name(), "portflow"), instanceId);
                } catch (RuntimeException e) { // an OTEL_* variable the SDK cannot use
                    err.println("portflow: tracing: cannot configure OpenTelemetry from the OTEL_* variables: "
                            + CliLogging.OneLine.chain(e));
                    return PortflowCli.INVALID;
                }
                options = options.tracing(tracing);
            }
            try {
                Assembly assembly;
                try {
                    assembly = loader.assemble(model, options);
                } catch (BlueprintException e) {
                    err.println(e.getMessage());
                    return PortflowCli.INVALID;
                } catch (StartFailureException e) {
                    err.println("portflow: "
                            + e.getMessage()); // Kafka unreachable, a host that does not resolve: not the file's fault
                    return PortflowCli.FAILED;
                }
                return run(assembly, out, err, tracingSettings, metrics == null ? null : metrics.source());
            } finally {
                if (tracing != null) {
                    tracing.close(); // after the drain: exports the spans still in the batch, the drain's too
                }
            }
        }
    }

    private int run(
            Assembly assembly,
            PrintWriter out,
            PrintWriter err,
            @Nullable TracingSettings tracing,
            @Nullable String metricsSource)
            throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        ShutdownSignals.onTerminate(() -> {
            if (signals.incrementAndGet() == 1) {
                stop.countDown();
            } else {
                err.println("portflow: second stop signal: forcing the stop now; what is left is reported");
                err.flush();
                assembly.pipeline().forceStop();
            }
        });
        try {
            assembly.start();
        } catch (RuntimeException e) {
            err.println(
                    "portflow: cannot start pipeline '" + assembly.pipeline().name() + "': " + e.getMessage());
            assembly.close();
            return PortflowCli.FAILED;
        }
        printWhere(assembly, out, tracing, metricsSource);
        while (!stop.await(200, TimeUnit.MILLISECONDS)) {
            if (assembly.pipeline().state() == PipelineState.STOPPED) {
                out.println("pipeline '" + assembly.pipeline().name() + "' ended: every source finished");
                break;
            }
        }
        out.println("draining (up to " + drainSeconds + " s; Ctrl-C again to stop at once) ...");
        out.flush();
        DrainReport report = assembly.drainAndStop(Duration.ofSeconds(drainSeconds));
        new StopSummary(report, assembly.pipeline().health(), drainSeconds, signals.get() > 1)
                .print(out, err, leftoversPath(assembly));
        return report.completed() ? 0 : PortflowCli.FAILED;
    }

    private Path leftoversPath(Assembly assembly) {
        if (leftoversFile != null) {
            return leftoversFile;
        }
        // the system zone, on purpose: the name shows the user their local time
        String time = LocalDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("portflow-leftovers", assembly.pipeline().name() + "-" + time + ".jsonl");
    }

    private static void printWhere(
            Assembly assembly, PrintWriter out, @Nullable TracingSettings tracing, @Nullable String metricsSource) {
        out.println("pipeline '" + assembly.pipeline().name() + "' running ("
                + assembly.pipeline().components().size() + " components). Ctrl-C or SIGTERM drains and exits.");
        List<String> here = assembly.componentsHere();
        if (here.size() < assembly.blueprint().components().size()) {
            List<String> elsewhere = assembly.blueprint().components().stream()
                    .map(ComponentSpec::name)
                    .filter(name -> !here.contains(name))
                    .toList();
            out.println("  running here (--only): " + String.join(", ", here));
            out.println("  in other processes:    " + String.join(", ", elsewhere));
        }
        for (ConnectionSpec c : assembly.blueprint().connections()) {
            Endpoint from = c.from();
            Endpoint to = c.to();
            if (from == null || to == null) {
                continue; // only in a blueprint with problems, which is not assembled
            }
            boolean sends = here.contains(from.component());
            boolean receives = here.contains(to.component());
            if (c.isKafka() && (sends || receives)) {
                String topic = c.topicIn(assembly.pipeline().name());
                out.println("  kafka:     " + c.describe() + "   (topic " + topic + "; "
                        + (sends && receives ? "both ends here" : sends ? "sending here" : "receiving here") + ")");
            }
            if (c.isDisk() && sends && receives) {
                out.println("  disk:      " + c.describe() + "   (log in "
                        + assembly.diskDataDirectory().map(Path::toString).orElse("?") + ")");
            }
        }
        if (tracing != null) {
            out.println("  tracing:   " + RunTracing.describe(tracing));
        }
        String otlp = assembly.otlpMetrics()
                .map(resolved -> RunMetrics.describe(
                        resolved,
                        metricsSource == null ? "AssemblyOptions" : metricsSource,
                        assembly.otlpServiceName().orElse(null)))
                .orElse(null);
        assembly.server()
                .ifPresentOrElse(
                        (PortflowServer server) -> {
                            String base = server.baseUri();
                            out.println("  dashboard: " + base + "/");
                            out.println("  metrics:   " + base + "/metrics   (JSON: " + base + "/metrics.json)");
                            if (otlp != null) {
                                out.println("             " + otlp);
                            }
                            out.println("  health:    " + base + "/health/live, " + base + "/health/ready");
                            for (ApiEndpoint<?> endpoint : assembly.pipeline().componentsOfType(ApiEndpoint.class)) {
                                out.println("  ingress:   POST " + base + endpoint.path() + "   (component "
                                        + assembly.pipeline().nameOf(endpoint) + ")");
                            }
                        },
                        () -> {
                            if (otlp != null) {
                                out.println("  metrics:   " + otlp);
                            }
                        });
        out.flush();
    }

    /** Writes the built-in demo blueprint to ./portflow-demo/demo.yaml (kept if it exists) and returns it. */
    private static Path writeDemo(PrintWriter out) throws IOException {
        Path dir = Path.of("portflow-demo");
        Path file = dir.resolve("demo.yaml");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            try (InputStream demo = RunCommand.class.getResourceAsStream(DEMO_RESOURCE)) {
                if (demo == null) {
                    throw new IllegalStateException("the built-in demo blueprint is missing from the jar");
                }
                Files.copy(demo, file);
            }
            out.println("wrote the built-in demo blueprint to " + file.toAbsolutePath());
        }
        return file;
    }
}
