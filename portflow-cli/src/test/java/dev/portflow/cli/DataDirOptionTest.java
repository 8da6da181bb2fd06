package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code transport: disk} from the command line: {@code --data-dir} overrides the blueprint's
 * {@code data_dir} (relative to the working directory), the running process holds the directory (a
 * second {@code portflow run} on it fails to start, naming the holder), and {@code --only} may not
 * split a disk connection.
 */
@Timeout(120)
class DataDirOptionTest {

    private static final int COUNT = 100;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** generator(count 100) -[disk]-> jsonl_sink, with a data_dir that --data-dir overrides. */
    private static Path durable(Path dir) throws IOException {
        return Files.writeString(dir.resolve("durable.yaml"), """
                name: durable
                data_dir: "%s"
                components:
                  - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, flush_ms: 20}}
                connections:
                  - {from: gen.out_x, to: out.in_x, transport: disk}
                """.formatted(
                        dir.resolve("from-blueprint").toAbsolutePath(), COUNT));
    }

    @Test
    void runKeepsTheLogsInDataDirAndHoldsTheDirectoryWhileItRuns(@TempDir Path tmp) throws Exception {
        Path dir = tmp.toRealPath();
        Path blueprint = durable(dir);
        Path logs = dir.resolve("logs"); // --data-dir logs, relative to the process's working directory
        Path out = dir.resolve("out.jsonl");
        try (PortflowProcess running = PortflowProcess.start(
                dir, dir.resolve("run.log"), "run", blueprint.toString(), "--data-dir", "logs", "--port", "0")) {
            running.awaitOutput("disk:      gen.out_x -> out.in_x   (log in " + logs + ")");
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).size() >= COUNT);
            assertThat(logs.resolve("gen.out_x-out.in_x")).as("the edge's log").isDirectory();

            CliRun second = run("run", blueprint.toString(), "--data-dir", logs.toString(), "--port", "0");
            assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(1);
            assertThat(second.err())
                    .contains(
                            "portflow: cannot start pipeline 'durable'",
                            blueprint + ":7:48: data directory " + logs + " is in use by another running process (pid "
                                    + running.process.pid() + "): stop it, or give this one its own directory"
                                    + " (data_dir: in the blueprint, --data-dir)")
                    .doesNotContain("\tat ");
            assertThat(second.out()).doesNotContain("running");

            running.signal(); // SIGTERM: drains, releases the directory and exits 0
            assertThat(running.process.waitFor(30, TimeUnit.SECONDS))
                    .as("exits")
                    .isTrue();
            assertThat(running.process.exitValue()).as(running.output()).isZero();
            assertThat(running.output()).contains("drained in");
        }
        assertThat(dir.resolve("from-blueprint")).as("data_dir, overridden").doesNotExist();
        assertThat(dir.resolve("portflow-data")).as("the default, not used").doesNotExist();
        JsonMapper json = JsonMapper.builder().build();
        List<Long> ns = lines(out).stream()
                .map(line -> json.readTree(line).get("n").asLong())
                .toList();
        assertThat(ns).hasSize(COUNT);
        assertThat(new TreeSet<>(ns))
                .containsExactlyElementsOf(LongStream.range(0, COUNT).boxed().toList());
    }

    @Test
    void helpDocumentsDataDirAndABlankOneIsABadArgument(@TempDir Path dir) throws Exception {
        CliRun help = run("run", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--data-dir=DIR", "transport: disk", "data_dir");
        CliRun blank = run("run", durable(dir).toString(), "--data-dir", "", "--port", "0");
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err()).contains("--data-dir must name a directory");
    }

    @Test
    void onlyMayNotSplitADiskConnection(@TempDir Path dir) throws Exception {
        Path blueprint = durable(dir);
        CliRun split = run("validate", blueprint.toString(), "--only", "gen");
        assertThat(split.exit()).isEqualTo(2);
        assertThat(split.err())
                .contains(blueprint + ":7:48: connection gen.out_x -> out.in_x crosses --only: out runs in another"
                        + " process, but a disk connection's log lives in the data directory of this process, so both"
                        + " its ends must run in the same process (hint: use transport: kafka to span processes, or"
                        + " add out to --only)");
        assertThat(run("run", blueprint.toString(), "--only", "out", "--port", "0")
                        .exit())
                .isEqualTo(2);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
