package dev.portflow.cli;

import dev.portflow.blueprint.BlueprintLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --lib DIR}, for every command that reads a blueprint: the jars of those directories hold
 * user component classes ({@code class:}) and recipes ({@code recipe:}, declared in
 * {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}), so {@code validate} and
 * {@code graph} see what {@code run} will.
 */
final class LibDirectories {

    @Option(
            names = "--lib",
            paramLabel = "DIR",
            description = "a directory of jars with component classes (class: ...) and recipes (recipe: ...)")
    private List<Path> dirs = new ArrayList<>();

    /**
     * A loader with the jars of every {@code --lib} directory (the standard one without any), or
     * {@code null} after printing why a directory is unusable.
     */
    @Nullable
    BlueprintLoader loader(PrintWriter err) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                err.println("portflow: --lib " + dir + " is not a directory");
                return null;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(jars::add);
            }
        }
        return jars.isEmpty() ? BlueprintLoader.standard() : BlueprintLoader.withLibJars(jars);
    }
}
