package dev.portflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portflow validate BLUEPRINT [--only a,b]}: every problem with file, line and column; exit 2
 * if any. With {@code --only}, also that those components exist and that every connection leaving
 * or entering them from the rest of the blueprint is {@code transport: kafka}.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a blueprint and reports every problem with file:line:column. Exit 0 valid, 2 invalid.",
            "With --only, also checks the blueprint for a process that runs only those components."
        })
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BLUEPRINT", description = "the blueprint YAML file")
    private Path blueprint;

    @Option(names = "--only", paramLabel = "COMPONENT", split = ",", description = BlueprintArgument.ONLY_HELP)
    private @Nullable List<String> only;

    @CommandLine.Mixin
    private LibDirectories lib = new LibDirectories();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> names = BlueprintArgument.onlyNames(only, spec.commandLine());
        return BlueprintArgument.printIfValid(
                blueprint,
                lib,
                names,
                spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                (loader, model) -> blueprint + ": valid (pipeline '" + model.name() + "', "
                        + model.components().size() + " components, "
                        + model.connections().size() + " connections"
                        + (names == null ? "" : "; --only " + String.join(",", names)) + ")");
    }
}
