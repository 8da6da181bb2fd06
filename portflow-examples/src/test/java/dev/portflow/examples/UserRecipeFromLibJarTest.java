package dev.portflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.examples.recipe.UpperCaseRecipe;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a recipe is adding one class: {@link UpperCaseRecipe} and its services line, packed into a
 * jar as a user would, work through {@code portflow validate|run --lib DIR} in a JVM of their own,
 * whose class path has Portflow but not this module.
 */
@Timeout(120)
class UserRecipeFromLibJarTest {

    private static final String SERVICES = "META-INF/services/dev.portflow.blueprint.spi.Recipe";

    @TempDir
    Path dir;

    @Test
    void aRecipeJarInLibIsValidatedAndRunLikeABuiltIn() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        packRecipeJar(lib.resolve("upper-case.jar"));
        Files.writeString(dir.resolve("shout.yaml"), """
                name: shout
                components:
                  - {name: gen, recipe: generator, config: {rate: 1000, count: 3, template: {name: "ada ${seq}", n: "${seq}"}}}
                  - {name: loud, recipe: upper_case, config: {fields: [name]}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, metadata: false, flush_ms: 0}}
                connections:
                  - {from: gen.out_people, to: loud.in_people}
                  - {from: loud.out_people, to: out.in_people}
                """);
        Files.writeString(dir.resolve("typo.yaml"), """
                name: typo
                components:
                  - {name: gen, recipe: generator, config: {rate: 1, count: 1}}
                  - {name: loud, recipe: upper_case, config: {field: name}}
                  - {name: out, recipe: log_sink}
                connections:
                  - {from: gen.out_people, to: loud.in_people}
                  - {from: loud.out_people, to: out.in_people}
                """);

        Result without = portflow("validate", "shout.yaml");
        assertThat(without.exitCode()).as(without.output()).isEqualTo(2);
        assertThat(without.output()).contains("shout.yaml:4:26: unknown recipe 'upper_case'");

        Result typo = portflow("validate", "--lib", "lib", "typo.yaml");
        assertThat(typo.exitCode()).as(typo.output()).isEqualTo(2);
        assertThat(typo.output())
                .as("its config keys are checked like a built-in's")
                .contains("typo.yaml:4:47: unknown config key 'field' for upper_case 'loud'"
                        + " (hint: did you mean 'fields'? upper_case 'loud' takes: fields)");

        Result valid = portflow("validate", "--lib", "lib", "shout.yaml");
        assertThat(valid.exitCode()).as(valid.output()).isZero();

        Result run = portflow("run", "--lib", "lib", "--port", "0", "shout.yaml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out.jsonl"), StandardCharsets.UTF_8))
                .containsExactly(
                        "{\"name\":\"ADA 0\",\"n\":0}", "{\"name\":\"ADA 1\",\"n\":1}", "{\"name\":\"ADA 2\",\"n\":2}");
    }

    /** The recipe's classes and services file from this module's build output, as a jar. */
    private static void packRecipeJar(Path jar) throws IOException {
        Path classes = Path.of("target", "classes");
        Path recipePackage =
                classes.resolve(UpperCaseRecipe.class.getPackageName().replace('.', '/'));
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(recipePackage)) {
            files.forEach(entries::add);
        }
        entries.add(classes.resolve(SERVICES));
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Path entry : entries) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(entry).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(entry));
                out.closeEntry();
            }
        }
    }

    private record Result(int exitCode, String output) {}

    /** {@code portflow ARGS} in its own JVM, in {@link #dir}, without this module on the class path. */
    private Result portflow(String... args) throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry)
                        .toAbsolutePath()
                        .startsWith(Path.of("target").toAbsolutePath()))
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                "dev.portflow.cli.PortflowCli"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "portflow", ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("portflow " + String.join(" ", args) + " did not end:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
