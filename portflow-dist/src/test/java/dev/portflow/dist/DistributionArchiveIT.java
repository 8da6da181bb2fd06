package dev.portflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user gets it, after {@code package}: unpacked with {@code tar} into an
 * empty directory, one directory {@code portflow-VERSION/} with {@code bin/portflow} (mode 0755),
 * {@code lib/}, {@code examples/}, README and LICENSE; {@code bin/portflow run} starts the built-in
 * demo from it on the JDK in {@code JAVA_HOME}, takes a POST, shows the demo's port metrics and drains
 * on SIGTERM with exit 0; without a Java 21 it says what it found and exits 2.
 *
 * <p>Failsafe runs it in {@code integration-test}, after the archive is built; the system properties
 * {@code portflow.dist.archive}, {@code portflow.dist.name} and {@code portflow.version} come from
 * this module's pom.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "bin/portflow is a POSIX sh script")
@Timeout(120)
class DistributionArchiveIT {

    private static final String VERSION = property("portflow.version");
    private static final String NAME = property("portflow.dist.name");
    private static final Path ARCHIVE = Path.of(property("portflow.dist.archive"));

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path unpacked;

    /** {@code portflow-VERSION/} in {@link #unpacked}. */
    private static Path home = Path.of("not unpacked");

    @BeforeAll
    static void unpackWithTar() throws Exception {
        assertThat(ARCHIVE).as("built by package").isRegularFile();
        Result tar = run(unpacked, Map.of(), "tar", "xzf", ARCHIVE.toString());
        assertThat(tar.exitCode).as(tar.output).isZero();
        home = unpacked.resolve(NAME);
    }

    @Test
    void itUnpacksToOneDirectoryWithTheCommandItsJarsTheExamplesAndTheLicense() throws Exception {
        try (Stream<Path> top = Files.list(unpacked)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactly(NAME);
        }
        Path launcher = home.resolve("bin/portflow");
        assertThat(launcher).isRegularFile().isExecutable();
        assertThat(Files.getPosixFilePermissions(launcher))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_READ);
        // the mode as stored in the archive, whatever this user's umask made of it when unpacking
        Result listing = run(unpacked, Map.of(), "tar", "tvzf", ARCHIVE.toString());
        assertThat(listing.output.lines().filter(line -> line.endsWith(NAME + "/bin/portflow")))
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("-" + PosixFilePermissions.toString(rwxrxrx())));

        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");

        List<String> jars = fileNames(home.resolve("lib"));
        assertThat(jars)
                .allMatch(jar -> jar.endsWith(".jar"))
                .contains(
                        "portflow-cli-" + VERSION + ".jar",
                        "portflow-core-" + VERSION + ".jar",
                        "portflow-recipes-" + VERSION + ".jar",
                        "portflow-kafka-" + VERSION + ".jar",
                        "portflow-disk-" + VERSION + ".jar",
                        "portflow-dashboard-" + VERSION + ".jar")
                .anyMatch(jar -> jar.startsWith("picocli-"))
                .anyMatch(jar -> jar.startsWith("kafka-clients-"))
                .anyMatch(jar -> jar.startsWith("h2-"))
                .noneMatch(jar -> jar.contains("junit") || jar.contains("assertj") || jar.endsWith("-tests.jar"));
        // lib/* is the class path in any order: one version of each library
        Map<String, List<String>> byLibrary =
                jars.stream().collect(Collectors.groupingBy(jar -> jar.replaceFirst("-[0-9].*$", "")));
        assertThat(byLibrary)
                .allSatisfy(
                        (library, versions) -> assertThat(versions).as(library).hasSize(1));

        assertThat(fileNames(home.resolve("examples")))
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(fileNames(Path.of("..", "examples")).stream()
                        .filter(f -> f.endsWith(".yaml"))
                        .toList());
    }

    @Test
    void binPortflowRunStartsTheDemoThatTakesAMessageShowsItsPortsAndDrainsOnSigterm(@TempDir Path work)
            throws Exception {
        int port = freePort();
        Path log = work.resolve("portflow.log");
        ProcessBuilder builder = new ProcessBuilder(launcher(), "run", "--port", String.valueOf(port))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the JDK running this test; JAVA_OPTS reaches the JVM (it prints its heap size)
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", "-Xmx256m -XshowSettings:vm");
        Process portflow = builder.start();
        List<ProcessHandle> children = List.of();
        try {
            awaitReady(portflow, port, log);
            // none when the launcher exec-ed the JVM, as it should; killed below if not
            children = portflow.descendants().toList();
            assertThat(children)
                    .as("bin/portflow exec-s the JVM: SIGTERM to its pid reaches the JVM")
                    .isEmpty();
            assertThat(work.resolve("portflow-demo/demo.yaml")).isRegularFile();

            HttpResponse<String> posted = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readings"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"sensor\":\"dist-test\",\"celsius\":45.2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

            // the demo's port metrics: the POSTed reading left the ingress, the generator runs
            String api = "portflow_port_messages_out_total{component=\"api\",pipeline=\"demo\",port=\"out_requests\"";
            String sensors = "portflow_port_messages_out_total{component=\"sensors\",pipeline=\"demo\"";
            String metrics = awaitMetrics(port, m -> value(m, api) == 1 && value(m, sensors) > 0);
            assertThat(metrics)
                    .contains(
                            "portflow_port_queue_depth{component=\"archive\",pipeline=\"demo\",port=\"in_readings\"",
                            "portflow_port_messages_in_total{component=\"hot_readings\",pipeline=\"demo\"");

            portflow.destroy(); // SIGTERM: drains, prints the leftovers, exits 0
            assertThat(portflow.waitFor(60, TimeUnit.SECONDS))
                    .as("exited within 60 s of SIGTERM:%n%s", Files.readString(log))
                    .isTrue();
            String output = Files.readString(log);
            assertThat(portflow.exitValue()).as(output).isZero();
            assertThat(output).contains("Max. Heap Size: 256.00M", "draining", "0 messages left");
            // the POSTed reading (hot: 45.2 > 30) went through the whole pipeline to its file
            assertThat(work.resolve("portflow-demo/hot-readings.jsonl"))
                    .content()
                    .contains("\"sensor\":\"dist-test\"");
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            portflow.destroyForcibly();
            portflow.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutJava21ItSaysWhatItFoundAndExits2(@TempDir Path dir) throws Exception {
        // a "JDK 17" that only answers -version: the test needs no old JDK on the machine
        Path oldJdk = dir.resolve("jdk-17");
        Path oldJava = Files.createDirectories(oldJdk.resolve("bin")).resolve("java");
        Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"17.0.12\" 2024-07-16' >&2\n");
        Files.setPosixFilePermissions(oldJava, rwxrxrx());
        Path onPath = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(onPath.resolve("java"), oldJava);
        String path = onPath + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

        Result old = run(dir, Map.of("JAVA_HOME", oldJdk.toString(), "PATH", path), launcher(), "run");
        assertThat(old.exitCode).as(old.output).isEqualTo(2);
        assertThat(old.output)
                .contains(
                        "portflow: needs Java 21 or newer",
                        "JAVA_HOME: " + oldJava + " is Java 17",
                        "the java on the PATH: " + onPath.resolve("java") + " is Java 17");

        Path missing = dir.resolve("no-such-jdk");
        Result none = run(dir, Map.of("JAVA_HOME", missing.toString(), "PATH", path), launcher(), "run");
        assertThat(none.exitCode).as(none.output).isEqualTo(2);
        assertThat(none.output)
                .contains(
                        "JAVA_HOME: " + missing.resolve("bin/java") + " does not exist or cannot be run",
                        "the java on the PATH: " + onPath.resolve("java") + " is Java 17");
        assertThat(dir.resolve("portflow-demo")).doesNotExist();
    }

    private static String launcher() {
        return home.resolve("bin/portflow").toString();
    }

    private record Result(int exitCode, String output) {}

    /** Runs {@code command} in {@code dir} (environment: this JVM's, JAVA_OPTS unset, then {@code env}). */
    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("%s ended", List.of(command))
                    .isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits up to 60 s for {@code GET /health/ready} to answer 200; fails if the process exits first. */
    private static void awaitReady(Process process, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (CLIENT.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(process.isAlive())
                    .as("bin/portflow run exited early:%n%s", Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime() < deadline)
                    .as("not ready within 60 s:%n%s", Files.readString(log))
                    .isTrue();
            Thread.sleep(100);
        }
    }

    /** {@code GET /metrics} until {@code done} holds for it (up to 10 s); returns the last one. */
    private static String awaitMetrics(int port, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
            String metrics = response.body();
            if (done.test(metrics)) {
                return metrics;
            }
            assertThat(System.nanoTime() < deadline)
                    .as("/metrics not as expected within 10 s:%n%s", metrics)
                    .isTrue();
            Thread.sleep(100);
        }
    }

    /** The value of the one series in {@code metrics} that starts with {@code prefix} (-1 if none). */
    private static double value(String metrics, String prefix) {
        return metrics.lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one series " + prefix);
                })
                .orElse(-1);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::getFileName).map(Path::toString).sorted().toList();
        }
    }

    private static Set<PosixFilePermission> rwxrxrx() {
        return PosixFilePermissions.fromString("rwxr-xr-x");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("no system property " + name + ": run this test with ./mvnw verify");
        }
        return value;
    }
}
