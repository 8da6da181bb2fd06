package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.runtime.DrainReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blueprints with a {@code transport: disk} connection: both ends in this process, through a log in
 * the data directory ({@code data_dir}, else the {@code dataDir} option); every message arrives once,
 * the ports keep their metric names with the tag {@code transport="disk"}, and the directory is held
 * by one assembly at a time.
 */
@Timeout(60)
class DiskBlueprintsTest {

    private static final int COUNT = 500;
    /** The log's directory under the data directory: {@code <from>-<to>}. */
    private static final String LOG = "gen.out_x-out.in_x";
    /** Where {@code transport: disk} is written in {@link #blueprint}. */
    private static final Position TRANSPORT = new Position(7, 48);

    /** generator(count 500) -[disk]-> jsonl_sink, the log in {@code dataDir} when given. */
    private static Blueprint blueprint(Path dir, String pipeline, @Nullable Path dataDir) throws IOException {
        Path file = Files.writeString(dir.resolve(pipeline + ".yaml"), """
                name: %s
                %s
                components:
                  - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, flush_ms: 20}}
                connections:
                  - {from: gen.out_x, to: out.in_x, transport: disk, buffer_size: 100}
                """.formatted(
                        pipeline, dataDir == null ? "" : "data_dir: \"" + dataDir.toAbsolutePath() + "\"", COUNT));
        return Blueprints.load(file);
    }

    @Test
    void bothEndsGoThroughTheLogInTheBlueprintsDataDir(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Blueprint b = blueprint(dir, "durable", data);
        assertThat(b.dataDir()).isEqualTo(data.toAbsolutePath().toString());
        Path out = dir.resolve("out.jsonl");
        try (Assembly assembly =
                Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(assembly.diskDataDirectory()).contains(data.toAbsolutePath());
            assertThat(assembly.usesKafka()).isFalse();
            assertThat(assembly.pipeline().components())
                    .extracting(c -> c.name())
                    .containsExactlyInAnyOrder("gen", "out", "disk_in_out_in_x");
            assertThat(assembly.componentsHere()).containsExactly("gen", "out");
            assertThat(data.resolve(LOG)).as("the edge's log").isDirectory();
            assertThat(data.resolve(".lock")).as("the directory's lock").exists();

            assembly.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> GeneratedLines.lines(out).size() >= COUNT);
            String scraped = assembly.meterRegistry().scrape();
            assertThat(scraped)
                    .containsPattern(Pattern.quote("portflow_port_messages_out_total{component=\"gen\","
                            + "pipeline=\"durable\",port=\"out_x\",transport=\"disk\"} " + COUNT + ".0"))
                    .containsPattern(Pattern.quote("portflow_port_messages_in_total{component=\"out\","
                            + "pipeline=\"durable\",port=\"in_x\",transport=\"disk\"} " + COUNT + ".0"))
                    .contains("portflow_port_buffer_capacity{component=\"out\",pipeline=\"durable\",port=\"in_x\","
                            + "transport=\"disk\"} 100.0");
            DrainReport report = assembly.drainAndStop(Duration.ofSeconds(20));
            assertThat(report.completed()).isTrue();
            assertThat(assembly.pipeline().outputPort("gen", "out_x").counters().transport())
                    .isEqualTo("disk");
            assertThat(assembly.pipeline().inputPort("out", "in_x").counters().transport())
                    .isEqualTo("disk");
        }
        GeneratedLines.assertEveryMessageOnce(out, COUNT, "the log");

        // drained: the directory is free again, and everything sent was done with (nothing to redeliver)
        try (Assembly again = Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(again.pipeline().inputPort("out", "in_x").counters().depth())
                    .isZero();
        }
    }

    @Test
    void aDataDirectoryInUseIsAFailureToStartAndTheOptionOverridesDataDir(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Blueprint b = blueprint(dir, "shared", data);
        try (Assembly first = Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(first.diskDataDirectory()).contains(data.toAbsolutePath());
            assertThatThrownBy(() ->
                            Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer()))
                    .isInstanceOfSatisfying(StartFailureException.class, e -> {
                        assertThat(e.problems()).hasSize(1);
                        Problem p = e.problems().getFirst();
                        assertThat(p.position()).as(p.format()).isEqualTo(TRANSPORT);
                        assertThat(p.message())
                                .isEqualTo("data directory " + data.toAbsolutePath()
                                        + " is in use by another running process (pid "
                                        + ProcessHandle.current().pid()
                                        + "): stop it, or give this one its own directory (data_dir: in the"
                                        + " blueprint, --data-dir)");
                        assertThat(e.getMessage()).startsWith("cannot start pipeline 'shared'");
                    });

            Path other = dir.resolve("other");
            try (Assembly elsewhere = Blueprints.assemble(
                    b, AssemblyOptions.defaults().withoutServer().diskDirectory(other))) {
                assertThat(elsewhere.diskDataDirectory()).contains(other.toAbsolutePath());
                assertThat(other.resolve(LOG)).isDirectory();
            }
        }
        // released by close (never started): taken again
        try (Assembly again = Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(again.diskDataDirectory()).contains(data.toAbsolutePath());
        }
    }

    @Test
    void aFailedAssemblyOrStartReleasesTheDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        // the Kafka client fails after the data directory was taken: assembly fails, the directory is released
        Blueprint withKafka = Blueprints.loader()
                .validate("failing.yaml", """
                name: failing
                data_dir: "%s"
                kafka: {bootstrap_servers: "no-such-host.invalid:9092"}
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                  - {name: gen2, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink2, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: kafka}
                  - {from: gen2.out_numbers, to: sink2.in_numbers, transport: disk}
                """.formatted(data.toAbsolutePath()))
                .orThrow();
        assertThatThrownBy(() -> Blueprints.assemble(
                        withKafka, AssemblyOptions.defaults().withoutServer()))
                .isInstanceOf(StartFailureException.class)
                .hasMessageContaining("no-such-host.invalid");
        assertThat(data.resolve("gen2.out_numbers-sink2.in_numbers"))
                .as("the directory was taken before Kafka failed")
                .isDirectory();

        // a server that cannot start: closing the assembly releases the directory
        Blueprint b = blueprint(dir, "failing", data);
        Assembly unstarted = Blueprints.assemble(b, AssemblyOptions.defaults().host("no-such-host.invalid"));
        try {
            assertThatThrownBy(unstarted::start).hasMessageContaining("no-such-host.invalid");
        } finally {
            unstarted.close();
        }
        try (Assembly again = Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(again.diskDataDirectory()).contains(data.toAbsolutePath());
        }
    }

    @Test
    void noDiskConnectionTakesNoDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Blueprint b = Blueprints.loader()
                .validate("memory.yaml", """
                name: memory
                data_dir: "%s"
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers, config: {count: 1}}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers}
                """.formatted(data.toAbsolutePath()))
                .orThrow();
        try (Assembly assembly =
                Blueprints.assemble(b, AssemblyOptions.defaults().withoutServer())) {
            assertThat(assembly.diskDataDirectory()).isEmpty();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void mermaidDrawsDiskEdgesThick() {
        Blueprint b = Blueprints.loader().validate("graph.yaml", """
                name: graph
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink, class: dev.portflow.blueprint.fixtures.Collect}
                  - {name: gen2, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: sink2, class: dev.portflow.blueprint.fixtures.Collect}
                connections:
                  - {from: gen.out_numbers, to: sink.in_numbers, transport: disk}
                  - {from: gen2.out_numbers, to: sink2.in_numbers, transport: disk, max_bytes: 1048576,
                     buffer_size: 50, overflow: fail}
                """).orThrow();
        assertThat(Blueprints.mermaid(b))
                .contains(
                        "c_gen ==>|\"out_numbers → in_numbers<br/>disk<br/>10000 block\"| c_sink",
                        "c_gen2 ==>|\"out_numbers → in_numbers<br/>disk max_bytes 1048576<br/>50 fail\"| c_sink2");
    }
}
