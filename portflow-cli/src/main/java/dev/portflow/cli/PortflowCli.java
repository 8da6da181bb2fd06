package dev.portflow.cli;

import java.util.logging.Level;
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
@Command(
        name = "portflow",
        mixinStandardHelpOptions = true,
        version = "portflow 0.1.0-SNAPSHOT",
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

    public static void main(String[] args) {
        CliLogging.configure(Level.INFO); // one line per record; run's --log-level may change it
        System.exit(execute(args));
    }
}
