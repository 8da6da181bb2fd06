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
