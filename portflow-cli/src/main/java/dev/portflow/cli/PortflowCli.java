package dev.portflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code portflow} command. Exit codes: 0 ok, 2 invalid blueprint or arguments, 1 runtime failure.
 *
 * <pre>
 *   portflow run [BLUEPRINT]      run a blueprint (no argument: the built-in demo)
 *       [--only a,b]              ... or only some of its components (the others run elsewhere, over Kafka)
 *   portflow validate BLUEPRINT   report every problem with file:line:column
 *       [--only a,b]              ... also for a process that runs only those components
 *   portflow graph BLUEPRINT      print the pipeline as a Mermaid graph
 * </pre>
 */
@Command(name = "portflow", mixinStandardHelpOptions = true, version = "portflow 0.1.0-SNAPSHOT",
        description = "Runs pipelines of components joined by bounded ports that measure themselves.",
        subcommands = {RunCommand.class, ValidateCommand.class, GraphCommand.class})
public final class PortflowCli implements Runnable {

    /** Invalid blueprint or arguments. */
    public static final int INVALID = 2;
    /** A failure while running. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, validate or graph");
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new PortflowCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("portflow: " + e.getMessage());
            return FAILED;
        });
        return commandLine.execute(args);
    }

    /**
     * Kafka's clients log every configuration value and more at INFO; a {@code portflow run} with a
     * Kafka connection keeps their warnings and errors only, unless a logging configuration is given
     * ({@code -Djava.util.logging.config.file=...}). Held here: java.util.logging keeps loggers weakly.
     */
    private static final List<Logger> QUIETED = new ArrayList<>();

    static void quietKafkaClients() {
        if (CliLogging.configuredByUser()) {
            return;
        }
        Logger kafka = Logger.getLogger("org.apache.kafka");
        if (kafka.getLevel() == null) {
            kafka.setLevel(Level.WARNING);
            QUIETED.add(kafka);
        }
    }

    public static void main(String[] args) {
        CliLogging.configure(java.util.logging.Level.INFO); // one line per record; run's --log-level may change it
        quietKafkaClients();
        System.exit(execute(args));
    }
}
