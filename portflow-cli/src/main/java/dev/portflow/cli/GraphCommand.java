package dev.portflow.cli;

import dev.portflow.blueprint.BlueprintLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code portflow graph BLUEPRINT}: the pipeline as a Mermaid flowchart. */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = "Prints the blueprint's pipeline as a Mermaid graph (graph LR). Exit 2 if it is invalid.")
final class GraphCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BLUEPRINT", description = "the blueprint YAML file")
    private Path blueprint;

    @CommandLine.Mixin
    private LibDirectories lib = new LibDirectories();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return BlueprintArgument.printIfValid(
                blueprint, lib, spec.commandLine().getOut(), spec.commandLine().getErr(), BlueprintLoader::mermaid);
    }
}
