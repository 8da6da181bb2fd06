package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} (Debian's {@code prometheus} package, installed by {@code .ci/run})
 * must find no problem in {@code GET /metrics}. Skipped, saying so, where promtool is not installed;
 * under CI ({@code CI=true}) a missing promtool fails the test instead.
 */
@Timeout(60)
class PromtoolTest {

    @Test
    void promtoolFindsNoProblemInTheMetricsEndpoint(@TempDir Path dir) throws Exception {
        String promtool = findPromtool();
        if (promtool == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("promtool is not installed, but CI must run this check (.ci/run installs it)");
        }
        assumeTrue(
                promtool != null,
                "promtool not found on PATH: install Debian's 'prometheus' package to run this check");

        try (HttpFixture http = HttpFixture.simple(HttpFixture.ORDER_SCHEMA)) {
            for (int i = 0; i < 20; i++) {
                http.postJson("{\"id\":\"o-" + i + "\",\"amount\":" + i + "}");
            }
            http.postJson("{\"id\": 1}");
            http.post("/orders", "text/plain", "x");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 20);
            String metrics = http.get("/metrics").body();
            // the JVM and process meters are part of what promtool checks
            assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "process_cpu_usage ", "jvm_info{");
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, metrics, StandardCharsets.UTF_8);

            Process check = new ProcessBuilder(promtool, "check", "metrics")
                    .redirectInput(file.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).as("promtool output").isEmpty();
            assertThat(check.exitValue())
                    .as("promtool exit code; output:%n%s", output)
                    .isZero();
        }
    }

    private static @Nullable String findPromtool() {
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
