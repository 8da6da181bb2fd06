package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (7): a first {@code portflow run} prints Portflow's own lines and warnings a user can act
 * on, nothing else: no JDK warning about a library's {@code sun.misc.Unsafe} use (protobuf, under CEL,
 * before 4.36), no Helidon start-up records between the command's lines. In a JVM of its own, since
 * the JDK prints that warning once per JVM.
 */
@Timeout(120)
class QuietStartTest {

    @Test
    void aRunWithACelConditionPrintsOnlyPortflowsLines(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("numbers.yaml"), PortflowCliTest.GOOD);
        try (PortflowProcess run =
                PortflowProcess.start(dir, dir.resolve("run.log"), "run", "numbers.yaml", "--port", "0")) {
            assertThat(run.process.waitFor(90, TimeUnit.SECONDS))
                    .as("the run ends by itself:%n%s", run.output())
                    .isTrue();
            String output = run.output();
            assertThat(run.process.exitValue()).as(output).isZero();
            assertThat(output).contains("pipeline 'numbers' running", "metrics:", "drained in");
            assertThat(output)
                    .as("a library's warning nobody can act on")
                    .doesNotContain("sun.misc.Unsafe")
                    .doesNotContain("WARNING:");
            List<String> records = output.lines()
                    .filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*"))
                    .toList();
            assertThat(records).as("log records at the default level").noneMatch(l -> l.contains(" io.helidon."));
        }
        assertThat(Files.readAllLines(dir.resolve("odd.jsonl"))).hasSize(6);
    }

    @Test
    void debugShowsTheLibrariesRecordsToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("numbers.yaml"), PortflowCliTest.GOOD);
        try (PortflowProcess run = PortflowProcess.start(
                dir, dir.resolve("run.log"), "run", "numbers.yaml", "--port", "0", "--log-level", "debug")) {
            assertThat(run.process.waitFor(90, TimeUnit.SECONDS))
                    .as("the run ends by itself:%n%s", run.output())
                    .isTrue();
            assertThat(run.output()).contains(" io.helidon.");
        }
    }
}
