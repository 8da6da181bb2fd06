package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --instance-id}: documented in the help, and a name Kafka would refuse is refused before anything starts. */
class InstanceIdOptionTest {

    @Test
    void theHelpSaysWhatTheInstanceIdIsFor() {
        CliRun help = CliRun.of("run", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--instance-id=ID", "PORTFLOW_INSTANCE_ID", "static group members");
    }

    @Test
    void anInstanceIdKafkaWouldRefuseIsAUsageError(@TempDir Path dir) throws Exception {
        Path blueprint = Files.writeString(dir.resolve("p.yaml"), """
                name: p
                components:
                  - {name: gen, recipe: generator, config: {rate: 10, count: 1}}
                  - {name: out, recipe: log_sink}
                connections:
                  - {from: gen.out_x, to: out.in_x}
                """);
        for (String bad : new String[] {"", "two words", "a/b", "x".repeat(201)}) {
            CliRun run = CliRun.of("run", blueprint.toString(), "--instance-id", bad, "--port", "0");
            assertThat(run.exit()).as("--instance-id '%s'", bad).isEqualTo(2);
            assertThat(run.err())
                    .as("--instance-id '%s'", bad)
                    .contains("--instance-id: '" + bad + "' is not an instance id: 1 to 200 of a-z A-Z 0-9 . _ -");
        }
    }
}
