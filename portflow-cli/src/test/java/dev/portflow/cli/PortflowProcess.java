package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code portflow ARGS...} as a separate JVM (this test JVM's class path), run in {@code dir} with
 * standard output and error in {@code log}: for tests that signal, kill or restart it.
 */
final class PortflowProcess implements AutoCloseable {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final Path log;

    private PortflowProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static PortflowProcess start(Path dir, Path log, String... args) throws IOException {
        return start(dir, log, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with {@code environment} added to this process's. */
    static PortflowProcess start(Path dir, Path log, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PortflowCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PortflowProcess(process, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits up to 60 s for {@code GET /health/ready} on {@code port} to answer 200; fails if the process exits first. */
    PortflowProcess awaitReady(int port) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (CLIENT.send(HttpRequest.newBuilder(ready).GET().build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(process.isAlive())
                    .as("portflow exited early:%n%s", output())
                    .isTrue();
            assertThat(System.nanoTime() < deadline)
                    .as("not ready within 60 s:%n%s", output())
                    .isTrue();
            Thread.sleep(100);
        }
    }

    /**
     * The value of {@code series} in the {@code /metrics} of the process on {@code port}: a full series
     * ({@code name{labels}}), or a bare name, which matches its first series whatever the labels.
     */
    static double metric(HttpClient client, int port, String series) throws Exception {
        String body = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ") || (!series.contains("{") && line.startsWith(series + "{"))) {
                return Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in /metrics of port " + port);
    }

    /** SIGTERM, as often as called (Process.destroy need not signal a second time). */
    void signal() throws Exception {
        new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                .start()
                .waitFor();
    }

    void awaitOutput(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!output().contains(text)) {
            assertThat(System.nanoTime() < deadline)
                    .as("no '%s' within 30 s:%n%s", text, output())
                    .isTrue();
            Thread.sleep(50);
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
