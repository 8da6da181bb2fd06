package dev.portflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code portflow validate BLUEPRINT}: every problem with file, line and column; exit 2 if any. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a blueprint and reports every problem with file:line:column. Exit 0 valid, 2 invalid.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BLUEPRINT", description = "the blueprint YAML file")
    private Path blueprint;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return BlueprintArgument.printIfValid(blueprint, spec.commandLine().getOut(), spec.commandLine().getErr(),
                (loader, model) -> blueprint + ": valid (pipeline '" + model.name() + "', "
                        + model.components().size() + " components, " + model.connections().size() + " connections)");
    }
}
