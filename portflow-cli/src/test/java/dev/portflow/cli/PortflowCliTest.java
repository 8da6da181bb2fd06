package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PortflowCliTest {

    /** A CEL filter between a generator and a file sink: ends by itself after 12 messages (6 kept). */
    static final String GOOD = """
            name: numbers
            components:
              - {name: gen, recipe: generator, config: {rate: 1000, count: 12, template: {n: "${seq}"}}}
              - {name: odd, recipe: filter, config: {condition: "n % 2 == 1"}}
              - {name: out, recipe: jsonl_sink, config: {path: odd.jsonl}}
            connections:
              - {from: gen.out_numbers, to: odd.in_numbers, buffer_size: 4}
              - {from: odd.out_numbers, to: out.in_numbers}
            """;

    private static final String BROKEN = """
            name: broken
            components:
              - {name: gen, recipe: generatr, config: {rate: 10}}
              - {name: out, recipe: jsonl_sink, config: {path: x.jsonl}}
            connections:
              - {from: gen.out_numbers, to: out.numbers}
            """;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void validateSaysValidAndExitsZero(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("valid (pipeline 'numbers', 3 components, 2 connections)");
    }

    @Test
    void validateReportsEveryProblemWithLineAndColumnAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"), BROKEN);
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains(file + ":3:")
                .contains("generatr")
                .contains(file + ":6:")
                .contains("numbers")
                .contains("is invalid (");
    }

    /** Every broken blueprint of the blueprint module's test set: exit 2, each problem as file:line:col. */
    @Test
    void validateExitsTwoForEachBrokenBlueprintAndLocatesEveryProblem() throws Exception {
        Path dir = Path.of("..", "portflow-blueprint", "src", "test", "resources", "broken");
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path file : files) {
            CliRun r = run("validate", file.toString());
            assertThat(r.exit()).as(file.toString()).isEqualTo(2);
            List<String> problems = r.err()
                    .lines()
                    .filter(l -> l.startsWith(file.toString() + ":"))
                    .toList();
            assertThat(problems)
                    .as("problems of %s:%n%s", file, r.err())
                    .isNotEmpty()
                    .allSatisfy(p ->
                            assertThat(p).matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: .+"));
        }
    }

    @Test
    void validateCompilesExpressionsAndPointsAtTheBadOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cel.yaml"), """
                name: cel
                components:
                  - {name: gen, recipe: generator, config: {rate: 10}}
                  - {name: big, recipe: filter, config: {condition: "amount >"}}
                  - {name: out, recipe: log_sink}
                connections:
                  - {from: gen.out_x, to: big.in_x}
                  - {from: big.out_x, to: out.in_x}
                """);
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":4:").contains("condition").contains("amount >");
    }

    @Test
    void graphPrintsMermaid(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        CliRun r = run("graph", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith("graph LR")
                .contains("gen")
                .contains("odd")
                .contains("out");
        assertThat(run("graph", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(2);
    }

    @Test
    void runOfAFiniteBlueprintEndsDrainsAndExitsZero(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        CliRun r = run("run", file.toString(), "--port", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "pipeline 'numbers' running",
                        "ended: every source finished",
                        "leftover odd.in_numbers",
                        "0 messages left");
        assertThat(Files.readAllLines(dir.resolve("odd.jsonl"))).hasSize(6);
    }

    @Test
    void badArgumentsAndBadBlueprintsExitTwo(@TempDir Path dir) throws Exception {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
        assertThat(run("validate").exit()).isEqualTo(2);
        assertThat(run("run", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(2);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), BROKEN);
        assertThat(run("run", broken.toString()).exit()).isEqualTo(2);
        assertThat(run("run", broken.toString(), "--drain-timeout", "0").exit()).isEqualTo(2);
        assertThat(run("--help").exit()).isZero();
        assertThat(run("run", "--help").exit()).isZero();
    }

    /** Issue 11, bug 15: a bad argument is exit 2 (as --help says), before anything is built. */
    @Test
    void outOfRangePortAndUnknownLogLevelAreBadArguments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        CliRun port = run("run", file.toString(), "--port", "99999");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port must be 0..65535");
        CliRun level = run("run", file.toString(), "--log-level", "loud");
        assertThat(level.exit()).isEqualTo(2);
        assertThat(level.err()).contains("unknown log level 'loud'");
        CliRun host = run("run", file.toString(), "--host", "");
        assertThat(host.exit()).isEqualTo(2);
    }

    /** Issue 11, bug 2: a port in use is a failure to start (exit 1) that says so, and nothing runs. */
    @Test
    void aPortInUseIsAClearFailureToStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = run("run", file.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.err()).contains("port " + taken.getLocalPort()).contains("in use");
            assertThat(r.out()).doesNotContain("running");
            assertThat(r.err()).doesNotContain("\tat "); // no stack trace
        }
        assertThat(dir.resolve("odd.jsonl")).doesNotExist(); // the pipeline never started
    }

    /** Issue 11, bug 15: Kafka out of reach or a host that does not resolve is a failure to start (1), not a bad blueprint (2). */
    @Test
    void unreachableKafkaAndAnUnknownHostExitOne(@TempDir Path dir) throws Exception {
        int nobody;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            nobody = free.getLocalPort();
        }
        Path kafka = Files.writeString(dir.resolve("split.yaml"), """
                name: split
                kafka: {bootstrap_servers: "127.0.0.1:%d"}
                components:
                  - {name: gen, recipe: generator, config: {rate: 10, count: 1, template: {n: "${seq}"}}}
                  - {name: out, recipe: log_sink}
                connections:
                  - {from: gen.out_n, to: out.in_n, transport: kafka}
                """.formatted(nobody));
        CliRun unreachable = run("run", kafka.toString(), "--port", "0");
        assertThat(unreachable.exit()).as(unreachable.out() + unreachable.err()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot start pipeline 'split'").doesNotContain("is invalid");

        Path file = Files.writeString(dir.resolve("numbers.yaml"), GOOD);
        CliRun host = run("run", file.toString(), "--host", "no-such-host.invalid", "--port", "0");
        assertThat(host.exit()).as(host.out() + host.err()).isEqualTo(1);
        assertThat(host.err())
                .contains("cannot start pipeline", "no-such-host.invalid")
                .doesNotContain("is invalid");
    }

    /** Issue 11, bug 10: log_sink at level debug prints, and --log-level controls Portflow's own logging. */
    @Test
    void logSinkAtDebugPrintsOneLinePerMessage(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("logged.yaml"), """
                name: logged
                components:
                  - {name: gen, recipe: generator, config: {rate: 1000, count: 3, template: {n: "${seq}"}}}
                  - {name: audit, recipe: log_sink, config: {level: debug, logger: orders.audit}}
                connections:
                  - {from: gen.out_numbers, to: audit.in_numbers}
                """);
        CliRun r = run("run", file.toString(), "--port", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> audit =
                r.err().lines().filter(l -> l.contains("orders.audit")).toList();
        assertThat(audit).hasSize(3).allMatch(l -> l.contains("DEBUG"));
    }
}
