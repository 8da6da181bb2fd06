package dev.portflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The README promises that the build runs on any JDK >= 21. Maven's own JVM gets the options in
 * {@code .mvn/jvm.config} before anything else runs, and an option a JDK does not know stops it
 * from starting at all ({@code --sun-misc-unsafe-memory-access=allow}, which only JDK 23+ knows, once
 * did that on 21 and 22). So that file may only hold options every JDK since 21 accepts: system
 * properties ({@code -D}, ignored by a JDK that does not read them), heap or stack sizes, and the
 * {@code jdk.compiler} exports Error Prone needs (options since JDK 9).
 */
class BuildToolchainTest {

    private static final List<String> ACCEPTED_BY_EVERY_JDK_SINCE_21 =
            List.of("-D", "-Xmx", "-Xms", "-Xss", "--add-exports=jdk.compiler/", "--add-opens=jdk.compiler/");

    @Test
    void mavensJvmOptionsStartOnJdk21() throws IOException {
        Path config = projectRoot().resolve(".mvn/jvm.config");
        assertThat(config).exists();
        List<String> options = Arrays.stream(Files.readString(config).trim().split("\\s+"))
                .filter(o -> !o.isEmpty())
                .toList();
        assertThat(options)
                .as("options in %s (see its test's Javadoc)", config)
                .allSatisfy(o -> assertThat(ACCEPTED_BY_EVERY_JDK_SINCE_21)
                        .anySatisfy(p -> assertThat(o).startsWith(p)));
    }

    @Test
    void theCompilerTargetsJava21() throws IOException {
        String pom = Files.readString(projectRoot().resolve("pom.xml"));
        assertThat(pom).contains("<maven.compiler.release>21</maven.compiler.release>");
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the project root (the directory holding mvnw)").isNotNull();
        return Objects.requireNonNull(dir); // asserted just above
    }
}
