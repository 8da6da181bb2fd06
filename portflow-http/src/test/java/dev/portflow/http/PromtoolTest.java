package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} (Debian's {@code prometheus} package, installed by {@code .ci/run})
 * must find no problem in {@code GET /metrics}. Skipped, saying so, where promtool is not installed;
 * under CI ({@code CI=true}) a missing promtool fails the test instead ({@link Promtool}).
 */
@Timeout(60)
class PromtoolTest {

    @Test
    void promtoolFindsNoProblemInTheMetricsEndpoint(@TempDir Path dir) throws Exception {
        Promtool promtool = Promtool.require();

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

            Promtool.Result check = promtool.run(dir, file, "check", "metrics");
            assertThat(check.output()).as("promtool output").isEmpty();
            assertThat(check.exitCode())
                    .as("promtool exit code; output:%n%s", check.output())
                    .isZero();
        }
    }
}
