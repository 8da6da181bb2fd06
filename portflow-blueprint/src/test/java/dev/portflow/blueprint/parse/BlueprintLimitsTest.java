package dev.portflow.blueprint.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.Assembly;
import dev.portflow.blueprint.AssemblyOptions;
import dev.portflow.blueprint.BlueprintLoader;
import dev.portflow.blueprint.Blueprints;
import dev.portflow.blueprint.Validation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Big and hostile blueprints: nothing recurses on the size of the input (a chain of thousands of
 * components validates, draws and assembles), and what is beyond the limits is refused with a clear
 * problem instead of an error or a long wait.
 */
@Timeout(120)
class BlueprintLimitsTest {

    private static final BlueprintLoader LOADER = Blueprints.loader();

    /** A generator, then {@code stages} sleep and filter stages in a chain, then a log_sink; maybe a loop back. */
    static String chain(int stages, boolean closeTheLoop) {
        StringBuilder yaml = new StringBuilder(
                "name: chain\ncomponents:\n" + "  - {name: s0, recipe: generator, config: {rate: 1, count: 1}}\n");
        for (int i = 1; i <= stages; i++) {
            yaml.append("  - {name: s")
                    .append(i)
                    .append(
                            i % 2 == 0
                                    ? ", recipe: sleep, config: {duration_ms: 0}}\n"
                                    : ", recipe: filter, config: {condition: \"n > " + i + "\"}}\n");
        }
        yaml.append("  - {name: sink, recipe: log_sink}\nconnections:\n");
        for (int i = 0; i < stages; i++) {
            yaml.append("  - {from: s")
                    .append(i)
                    .append(".out_n, to: s")
                    .append(i + 1)
                    .append(".in_n}\n");
        }
        yaml.append("  - {from: s").append(stages).append(".out_n, to: sink.in_n}\n");
        if (closeTheLoop) {
            yaml.append("  - {from: s").append(stages).append(".out_n, to: s1.in_n}\n");
        }
        return yaml.toString();
    }

    @Test
    void aChainOfSixThousandComponentsValidatesDrawsAndAssembles() {
        LOADER.validate("warm-up.yaml", chain(100, false)); // class loading and JIT, not what is measured
        String yaml = chain(6000, false);

        long start = System.nanoTime();
        Validation v = LOADER.validate("chain.yaml", yaml);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(v.problems()).isEmpty();
        System.out.println(
                "6000-stage chain validated in " + took.toMillis() + " ms"); // a figure, not a test: no timing asserts

        String graph = LOADER.mermaid(v.orThrow());
        assertThat(graph.lines()).hasSize(1 + 6002 + 6001);
        try (Assembly assembly =
                LOADER.assemble(v.orThrow(), AssemblyOptions.defaults().withoutServer())) {
            assertThat(assembly.pipeline().components()).hasSize(6002);
        }
    }

    @Test
    void aCycleThroughSixThousandComponentsIsOneProblem() {
        Validation v = LOADER.validate("loop.yaml", chain(6000, true));
        assertThat(v.problems()).singleElement().satisfies(p -> {
            assertThat(p.message())
                    .startsWith("the connections form a cycle: s1 -> s2 -> s3 -> ")
                    .endsWith(" -> s6000 -> s1");
            assertThat(p.line()).isEqualTo(6007); // the first connection of the loop: s1 -> s2
        });
    }

    @Test
    void deepNestingIsAProblemNotAStackOverflow() {
        String yaml = "name: deep\ncomponents: []\nconnections: []\nschemas: {X: " + "[".repeat(1_000_000) + "}\n";
        Validation v = LOADER.validate("deep.yaml", yaml);
        assertThat(v.report())
                .isEqualTo("deep.yaml:4:112: the YAML is nested more than 100 levels deep (hint: a"
                        + " blueprint needs a handful of levels; the rest of the file is not read)");
    }

    @Test
    void aliasesThatStandForTooMuchAreRefused() {
        StringBuilder yaml = new StringBuilder("name: bomb\nschemas:\n  A0: &a0 {type: [string, number]}\n");
        for (int i = 1; i <= 30; i++) {
            yaml.append("  A")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" {allOf: [*a")
                    .append(i - 1)
                    .append(", *a")
                    .append(i - 1)
                    .append("]}\n");
        }
        String report = LOADER.validate("bomb.yaml", yaml.toString()).report(); // unbounded, this would not end
        assertThat(report).contains("bomb.yaml:").contains("aliases (*) stand for more than");
    }

    @Test
    void aBlueprintOverTheSizeLimitIsRefusedAtOnce() {
        StringBuilder yaml = new StringBuilder("name: big\ncomponents:\n");
        while (yaml.length() <= BlueprintText.MAX_BYTES) {
            yaml.append("  # ").append("padding ".repeat(12)).append('\n');
        }
        Validation v = LOADER.validate("big.yaml", yaml.toString());
        assertThat(v.report())
                .startsWith("big.yaml:1:1: the blueprint is 4.0 MiB (")
                .contains("at most 4 MiB (4194304 bytes)");
        assertThat(v.blueprint()).isNull();
    }

    @Test
    void tooManyComponentsAreRefusedAtTheFirstOneTooMany() {
        StringBuilder yaml = new StringBuilder("name: many\ncomponents:\n");
        for (int i = 0; i <= BlueprintParser.MAX_COMPONENTS; i++) {
            yaml.append("  - {name: c").append(i).append(", recipe: log_sink}\n");
        }
        yaml.append("connections: []\n");
        Validation v = LOADER.validate("many.yaml", yaml.toString());
        assertThat(v.report())
                .isEqualTo("many.yaml:" + (BlueprintParser.MAX_COMPONENTS + 3) + ":5: the blueprint has"
                        + " more than " + BlueprintParser.MAX_COMPONENTS
                        + " components (hint: split the pipeline into several"
                        + " blueprints, connected with transport: kafka)");
    }
}
