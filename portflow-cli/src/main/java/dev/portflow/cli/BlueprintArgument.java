package dev.portflow.cli;

import dev.portflow.blueprint.BlueprintLoader;
import dev.portflow.blueprint.Validation;
import dev.portflow.blueprint.model.Blueprint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** Reads and validates the blueprint a command was given, printing every problem. */
final class BlueprintArgument {

    /** The help text of {@code --only}, the same for every command that takes it. */
    static final String ONLY_HELP = "run only these components of the blueprint (comma-separated), so one blueprint"
            + " can span several processes; every connection between one of them and another component must be"
            + " transport: kafka";

    private BlueprintArgument() {}

    /**
     * Validates {@code file} and, when it is valid, prints {@code render}'s text of it: the shape of
     * the commands that only look at a blueprint ({@code validate}, {@code graph}).
     *
     * @return the exit code: 0, or {@link PortflowCli#INVALID}
     */
    static int printIfValid(
            Path file,
            LibDirectories lib,
            PrintWriter out,
            PrintWriter err,
            BiFunction<BlueprintLoader, Blueprint, String> render)
            throws IOException {
        return printIfValid(file, lib, null, out, err, render);
    }

    /**
     * As {@link #printIfValid(Path, LibDirectories, PrintWriter, PrintWriter, BiFunction)} for a process that runs only
     * the components {@code only} names ({@code null} or empty: all).
     */
    static int printIfValid(
            Path file,
            LibDirectories lib,
            @Nullable List<String> only,
            PrintWriter out,
            PrintWriter err,
            BiFunction<BlueprintLoader, Blueprint, String> render)
            throws IOException {
        BlueprintLoader libLoader = lib.loader(err);
        if (libLoader == null) {
            return PortflowCli.INVALID;
        }
        try (BlueprintLoader loader = libLoader) {
            Validation validation = validate(loader, file, only, err);
            if (validation == null || !validation.isValid()) {
                return PortflowCli.INVALID;
            }
            out.println(render.apply(loader, validation.orThrow()));
            return 0;
        }
    }

    /** The validation of {@code file}, or {@code null} after printing why the file cannot be read. */
    static @Nullable Validation validate(BlueprintLoader loader, Path file, PrintWriter err) {
        return validate(loader, file, null, err);
    }

    /**
     * The validation of {@code file} for a process that runs the components {@code only} names
     * ({@code null} or empty: all), or {@code null} after printing why the file cannot be read.
     */
    static @Nullable Validation validate(
            BlueprintLoader loader, Path file, @Nullable List<String> only, PrintWriter err) {
        if (!Files.isRegularFile(file)) {
            err.println("portflow: blueprint " + file + " does not exist or is not a file");
            return null;
        }
        Validation validation = loader.validate(file, only);
        if (!validation.isValid()) {
            err.println(validation.report());
            err.println("portflow: " + file + " is invalid"
                    + (only == null || only.isEmpty() ? "" : " for --only " + String.join(",", only)) + " ("
                    + validation.problems().size() + " problem"
                    + (validation.problems().size() == 1 ? "" : "s") + "); nothing was started");
        }
        return validation;
    }

    /**
     * The component names of an {@code --only} option ({@code a,b} or repeated), trimmed and without
     * duplicates; {@code null} when the option was not given.
     *
     * @throws CommandLine.ParameterException if it names no component
     */
    static @Nullable List<String> onlyNames(@Nullable List<String> values, CommandLine commandLine) {
        if (values == null) {
            return null;
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String value : values) {
            String name = value.trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new CommandLine.ParameterException(
                    commandLine, "--only needs at least one component name, e.g. --only api,enrich");
        }
        return new ArrayList<>(names);
    }
}
