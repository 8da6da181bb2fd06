package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * promtool (Debian's {@code prometheus} package, installed by {@code .ci/run}) for the tests that run
 * it: {@link #require()} skips the calling test, saying so, where promtool is not installed; under CI
 * ({@code CI=true}) a missing promtool fails the test instead.
 */
final class Promtool {

    /** What one promtool run printed (standard output and error, interleaved) and its exit code. */
    record Result(int exitCode, String output) {}

    private final String executable;

    private Promtool(String executable) {
        this.executable = executable;
    }

    /** promtool, or the calling test is skipped (failed under {@code CI=true}) when it is not installed. */
    static Promtool require() {
        String found = find();
        if (found != null) {
            return new Promtool(found);
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("promtool is not installed, but CI must run this check (.ci/run installs it)");
        }
        return Assumptions.abort("promtool not found on PATH: install Debian's 'prometheus' package to run this check");
    }

    /** Runs {@code promtool args...} in {@code workDir}, its standard input from {@code input} when given. */
    Result run(Path workDir, @Nullable Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(args));
        // the output goes to a file: a pipe could fill and stall promtool, a read could outlast the timeout
        Path log = Files.createTempFile("promtool", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            Process process = builder.start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended)
                    .as("promtool %s ended within 60 s; output:%n%s", String.join(" ", args), output)
                    .isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static @Nullable String find() {
        for (String dir : Pattern.compile(Pattern.quote(File.pathSeparator))
                .splitAsStream(System.getenv().getOrDefault("PATH", ""))
                .toList()) {
            File candidate = new File(dir, "promtool");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        File debian = new File("/usr/bin/promtool");
        return debian.canExecute() ? debian.getAbsolutePath() : null;
    }
}
