package dev.portflow.bench;

import dev.portflow.disk.DiskCodec;
import dev.portflow.disk.DiskEdge;
import dev.portflow.disk.DiskReceiver;
import dev.portflow.disk.DiskSettings;
import dev.portflow.disk.DiskTransport;
import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.IngressSettings;
import dev.portflow.http.PortflowServer;
import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two servers of the ingress benchmark ({@code bench/run-ingress}), on the same Helidon
 * WebServer so the ratio isolates what Portflow adds:
 *
 * <ul>
 *   <li>{@code bare}: parse the JSON body with Jackson, put it in an {@link ArrayBlockingQueue}
 *       (capacity 1024, waiting up to 2 s) drained by one consumer thread, answer 202 with a UUID.
 *   <li>{@code portflow}: a Portflow pipeline, {@code api_endpoint} (JSON Schema validation,
 *       {@code event_time}, ingress and port metrics on a Prometheus registry) -> sink, through a
 *       {@code BLOCK_WITH_TIMEOUT} connection of capacity 1024, on {@link PortflowServer}.
 *   <li>{@code portflow-disk}: the same pipeline with a disk edge as {@code out_requests}'s connection
 *       ({@code BLOCK_WITH_TIMEOUT}, 2 s; capacity 1,000,000 records, 4 GiB), its log in a new
 *       temporary directory under {@code DATA_BASE} (default: the system's temporary directory),
 *       deleted when the server stops; the edge's receiver feeds the same counting sink in the same
 *       pipeline. A 202 then means the request's message is fsynced.
 * </ul>
 *
 * Usage: {@code java -cp benchmarks.jar dev.portflow.bench.IngressBenchServer bare|portflow|portflow-disk PORT
 * [DATA_BASE]}. Runs until killed; prints how many messages its consumer took when it stops.
 */
public final class IngressBenchServer {

    static final String SCHEMA = """
            {"type": "object", "required": ["id", "amount"],
             "properties": {"id": {"type": "string"}, "amount": {"type": "number"}}}
            """;

    private IngressBenchServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2
                || args.length > 3
                || !(args[0].equals("bare") || args[0].equals("portflow") || args[0].equals("portflow-disk"))) {
            System.err.println("usage: IngressBenchServer bare|portflow|portflow-disk PORT [DATA_BASE]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        AtomicLong consumed = new AtomicLong();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> System.out.println("consumed " + consumed.get() + " messages")));
        switch (args[0]) {
            case "bare" -> bare(port, consumed);
            case "portflow" -> portflow(port, consumed);
            default ->
                portflowDisk(
                        port,
                        consumed,
                        args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir")));
        }
        System.out.println("listening on 127.0.0.1:" + port + " (" + args[0] + ")");
        forever.await();
    }

    private static void bare(int port, AtomicLong consumed) {
        JsonMapper mapper = StrictJson.mapper(); // parses as strictly as the ingress does
        ArrayBlockingQueue<JsonNode> queue = new ArrayBlockingQueue<>(1024);
        Thread consumer = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    queue.take();
                    consumed.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpRouting.Builder routing = HttpRouting.builder().post("/ingest", (req, res) -> {
            JsonNode body = mapper.readTree(req.content().as(byte[].class));
            boolean queued = queue.offer(body, 2, TimeUnit.SECONDS);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            if (queued) {
                res.status(Status.ACCEPTED_202);
                res.send(("{\"status\":\"accepted\",\"message\":\"Request queued\",\"id\":\"" + uuid() + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                res.status(Status.SERVICE_UNAVAILABLE_503);
                res.header("Retry-After", "1");
                res.send("{\"error\":\"backpressure\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .addRouting(routing)
                .build()
                .start();
        consumer.setName("bare-consumer");
    }

    private static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(
                        (random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                        (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L)
                .toString();
    }

    private static void portflow(int port, AtomicLong consumed) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(IngressSettings.of("/ingest"), SCHEMA);
        Pipeline pipeline = Pipeline.builder("bench")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .sink("sink", JsonMessage.class, m -> consumed.incrementAndGet())
                .connect(
                        "api.out_requests",
                        "sink.in_requests",
                        ConnectionOptions.defaults()
                                .capacity(1024)
                                .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                                .timeout(Duration.ofSeconds(2)))
                .build();
        PortflowServer.builder(pipeline).port(port).build().start();
    }

    private static void portflowDisk(int port, AtomicLong consumed, Path dataBase) throws IOException {
        Files.createDirectories(dataBase);
        Path dataDir = Files.createTempDirectory(dataBase, "portflow-ingress-disk-");
        DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir));
        DiskEdge edge = new DiskEdge("bench", "api", "out_requests", "sink", "in_requests", 1_000_000, 4L << 30);
        DiskReceiver<JsonMessage> receiver = disk.receiver(edge, DiskCodec.jsonMessages());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(IngressSettings.of("/ingest"), SCHEMA);
        Pipeline pipeline = Pipeline.builder("bench")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .connect(
                        "api.out_requests",
                        disk.sendingLink(edge, DiskCodec.jsonMessages()),
                        ConnectionOptions.defaults()
                                .capacity(1024)
                                .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                                .timeout(Duration.ofSeconds(2)))
                .source("disk_in", JsonMessage.class, receiver)
                .sink("sink", JsonMessage.class, m -> consumed.incrementAndGet())
                .connect(
                        "disk_in.out_records",
                        "sink.in_requests",
                        ConnectionOptions.defaults().capacity(1024))
                .bindRemote("sink.in_requests", receiver.backlog())
                .build();
        receiver.watch(pipeline);
        PortflowServer server =
                PortflowServer.builder(pipeline).port(port).build().start();
        System.out.println("data directory " + dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.drainAndStop(Duration.ofSeconds(10));
            } finally {
                disk.close();
                deleteTree(dataDir);
            }
        }));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
