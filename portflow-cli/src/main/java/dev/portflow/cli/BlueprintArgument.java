package dev.portflow.cli;

import dev.portflow.blueprint.BlueprintLoader;
import dev.portflow.blueprint.Validation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and validates the blueprint a command was given, printing every problem. */
final class BlueprintArgument {

    private BlueprintArgument() {
    }

    /**
     * Validates {@code file} and, when it is valid, prints {@code render}'s text of it: the shape of
     * the commands that only look at a blueprint ({@code validate}, {@code graph}).
     *
     * @return the exit code: 0, or {@link PortflowCli#INVALID}
     */
    static int printIfValid(Path file, PrintWriter out, PrintWriter err,
            java.util.function.BiFunction<BlueprintLoader, dev.portflow.blueprint.Blueprint, String> render)
            throws java.io.IOException {
        try (BlueprintLoader loader = BlueprintLoader.standard()) {
            Validation validation = validate(loader, file, err);
            if (validation == null || !validation.isValid()) {
                return PortflowCli.INVALID;
            }
            out.println(render.apply(loader, validation.orThrow()));
            return 0;
        }
    }

    /** The validation of {@code file}, or {@code null} after printing why the file cannot be read. */
    static Validation validate(BlueprintLoader loader, Path file, PrintWriter err) {
        if (!Files.isRegularFile(file)) {
            err.println("portflow: blueprint " + file + " does not exist or is not a file");
            return null;
        }
        Validation validation = loader.validate(file);
        if (!validation.isValid()) {
            err.println(validation.report());
            err.println("portflow: " + file + " is invalid (" + validation.problems().size() + " problem"
                    + (validation.problems().size() == 1 ? "" : "s") + "); nothing was started");
        }
        return validation;
    }
}
