/**
 * The {@code portflow} command ({@link dev.portflow.cli.PortflowCli}, picocli): {@code run}, {@code validate} and
 * {@code graph} a blueprint. An application, not a library: it exports nothing ({@code PortflowCli.main} is
 * started by the launcher, which needs no export, and nothing else uses its types), and opens
 * {@code dev.portflow.cli} to picocli alone, which reads the commands' annotated fields and makes the commands by
 * reflection.
 *
 * <p>The built-in recipes ({@code portflow-recipes}) are not a module (CEL splits packages): they go on the class
 * path, where the blueprint loader finds them through {@link java.util.ServiceLoader}.
 */
module dev.portflow.cli {
    requires dev.portflow.blueprint;
    requires dev.portflow.core;
    requires dev.portflow.http;
    requires dev.portflow.json;
    requires dev.portflow.tracing; // portflow run's tracing: OpenTelemetry, configured by the OTEL_* variables
    requires tools.jackson.core;
    requires tools.jackson.databind;
    requires info.picocli;
    requires java.logging; // one line per log record, --log-level
    // sun.misc.Signal (SIGINT, SIGTERM), reached by reflection: resolved so that the class can be found
    requires jdk.unsupported;

    // picocli sets the @Option, @Parameters, @Mixin and @Spec fields and makes the (package-private) commands
    opens dev.portflow.cli to
            info.picocli;
}
