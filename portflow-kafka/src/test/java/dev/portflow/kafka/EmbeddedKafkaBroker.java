package dev.portflow.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;

/**
 * A real, single-node Apache Kafka broker running inside the current JVM, for tests.
 *
 * <p>Why: the Kafka-bound connections are only worth testing against a real broker (partition
 * assignment, consumer-group rebalances, committed offsets, idempotent producers), and CI has no
 * Docker, so Testcontainers is not an option. This fixture starts the broker from the Kafka jars on
 * the test classpath (Maven Central, {@code org.apache.kafka:kafka_2.13} and its server modules):
 * no ZooKeeper, no external process, no network beyond the loopback interface.
 *
 * <p>What: one KRaft node in combined mode ({@code process.roles=broker,controller}, node id 1, a
 * static single-voter quorum), listening on {@code 127.0.0.1} on two free ports ({@code PLAINTEXT}
 * for clients, {@code CONTROLLER} for the quorum), with a fresh temporary log directory that is
 * formatted with Kafka's own {@link Formatter} (what {@code kafka-storage.sh format} does) before
 * the server starts. Internal topics are sized for one broker (replication factor 1, min ISR 1, one
 * partition each) and the group initial rebalance delay is 0, so consumer groups form at once.
 * Topic auto-creation stays enabled, but tests should {@linkplain #createTopic create} their topics
 * explicitly, each with a {@linkplain #uniqueTopic unique name}, so that tests sharing one broker
 * never see each other's records.
 *
 * <p>{@link #start()} returns only once the broker answers {@code describeCluster} and is
 * registered (unfenced), so topics can be created right away. {@link #close()} shuts the broker
 * down and deletes its directory; a JVM shutdown hook does the same if a test forgets to.
 *
 * <p>Logging: Kafka logs through SLF4J; with {@code slf4j-jdk14} on the test classpath that ends in
 * java.util.logging, where this class turns the {@code kafka}, {@code org.apache.kafka} and
 * {@code state.change.logger} loggers down to {@code WARNING} (override with the system property
 * {@value #LOG_LEVEL_PROPERTY}, e.g. {@code -Dportflow.kafka.test.logLevel=INFO}).
 *
 * <p>Fatal broker faults: Kafka halts the JVM on a fatal fault. In a test JVM that would kill the
 * Surefire fork, so this class replaces Kafka's exit and halt procedures with ones that throw
 * (and log at SEVERE); see {@link EmbeddedKafkaMain} for the standalone-process variant.
 *
 * <p>Usage:
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *     String topic = EmbeddedKafkaBroker.uniqueTopic("orders");
 *     kafka.createTopic(topic, 3);
 *     // producers / consumers with bootstrap.servers = kafka.bootstrapServers()
 * }
 * }</pre>
 *
 * <p>Other modules reuse it through this module's test-jar ({@code <type>test-jar</type>}); they
 * also need the test-scoped Kafka server dependencies this module's pom lists.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** System property naming the java.util.logging level for Kafka's own loggers. */
    public static final String LOG_LEVEL_PROPERTY = "portflow.kafka.test.logLevel";

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class.getName());
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final AtomicLong TOPIC_COUNTER = new AtomicLong();
    /** Strong references: java.util.logging only keeps weak ones, and a collected logger loses its level. */
    @SuppressWarnings("UnusedVariable") // only held: java.util.logging would collect the loggers otherwise
    private static final List<Logger> QUIETED_LOGGERS;

    static {
        Level level = Level.parse(System.getProperty(LOG_LEVEL_PROPERTY, "WARNING"));
        List<Logger> loggers = new ArrayList<>();
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(level);
            loggers.add(logger);
        }
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // Warnings every start or stop of a fresh single-node broker gives, that say nothing here.
            Map<String, String> expectedWarnings = Map.of(
                    "org.apache.kafka.controller.QuorumController", "The metadata log appears to be empty",
                    "org.apache.kafka.clients.NetworkClient",
                            "Attempting to close NetworkClient that has already been closed");
            expectedWarnings.forEach((name, text) -> {
                Logger logger = Logger.getLogger(name);
                logger.setFilter(record ->
                        record.getMessage() == null || !record.getMessage().contains(text));
                loggers.add(logger);
            });
        }
        QUIETED_LOGGERS = List.copyOf(loggers);
        Exit.setExitProcedure((code, message) -> {
            throw brokerWantedToExit("exit", code, message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw brokerWantedToExit("halt", code, message);
        });
    }

    private volatile @Nullable KafkaRaftServer server; // null while stopped (stop(), before restart())
    private final KafkaConfig config;
    private final Path logDir;
    private final String bootstrapServers;
    private final Admin admin;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(
            KafkaRaftServer server, KafkaConfig config, Path logDir, String bootstrapServers, Admin admin) {
        this.server = server;
        this.config = config;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
        this.shutdownHook = new Thread(this::shutDown, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Formats a fresh log directory, starts a combined broker+controller node on free loopback
     * ports and waits until it serves clients.
     *
     * @throws IllegalStateException if the broker could not be started (after a few attempts with
     *     new ports, in case another process took a chosen port in the meantime)
     */
    public static EmbeddedKafkaBroker start() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "embedded Kafka broker failed to start (attempt " + attempt + ")", e);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        throw new IllegalStateException("embedded Kafka broker did not start", failure);
    }

    private static EmbeddedKafkaBroker startOnce() {
        long startedAt = System.nanoTime();
        Path logDir = createTempDir();
        KafkaRaftServer server = null;
        Admin admin = null;
        try {
            int[] ports = freePorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            String bootstrap = HOST + ":" + brokerPort;
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(logDir, brokerPort, controllerPort));
            format(logDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "embedded-kafka-admin-" + brokerPort,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    10_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    30_000));
            awaitReady(admin);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, config, logDir, bootstrap, admin);
            LOG.info(() -> "embedded Kafka broker at " + bootstrap + " ready in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt) + " ms");
            return broker;
        } catch (Exception | Error e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            if (server != null) {
                stopQuietly(server);
            }
            deleteRecursively(logDir);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(e);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());

        // One broker: every internal topic with one replica, and few partitions so they appear fast.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "true");
        props.put("group.initial.rebalance.delay.ms", "0");

        // A small machine: fewer threads and a small log-cleaner buffer (128 MiB by default).
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "2");
        props.put("num.replica.fetchers", "1");
        props.put("log.cleaner.threads", "1");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return props;
    }

    /** What {@code kafka-storage.sh format -t <random cluster id> -c server.properties} does for a static quorum. */
    private static void format(Path logDir) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setIgnoreFormatted(false)
                .run();
    }

    private static void awaitReady(Admin admin) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                var nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                if (nodes.stream().map(Node::id).anyMatch(id -> id == NODE_ID)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        TimeoutException timeout = new TimeoutException("broker not ready after " + READY_TIMEOUT);
        if (last != null) {
            timeout.initCause(last);
        }
        throw timeout;
    }

    /** The {@code bootstrap.servers} value for clients, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader, so
     * producers and consumers can use it at once. An existing topic is left as it is.
     */
    public void createTopic(String name, int partitions) {
        requireOpen();
        try {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    private void awaitLeaders(String topic) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic))
                        .allTopicNames()
                        .get(5, TimeUnit.SECONDS)
                        .get(topic);
                if (description != null
                        && description.partitions().stream()
                                .map(TopicPartitionInfo::leader)
                                .allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not known yet: the metadata is still propagating
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("partitions of " + topic + " have no leader after 30 s");
    }

    /**
     * A topic name no other call returns in this JVM (nor, by its random part, in another one):
     * {@code <prefix>-<n>-<random>}, with characters Kafka does not allow in a topic name replaced.
     */
    public static String uniqueTopic(String prefix) {
        String clean = prefix.replaceAll("[^a-zA-Z0-9-]", "-");
        String random = UUID.randomUUID().toString().substring(0, 8);
        return clean + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + random;
    }

    /**
     * Stops the broker as an outage would, keeping its log directory and its ports: clients lose it
     * until {@link #restart()}. A stopped broker stays stopped until then.
     */
    public synchronized void stop() {
        requireOpen();
        KafkaRaftServer running = server;
        if (running != null) {
            server = null;
            stopQuietly(running);
        }
    }

    /** Starts the stopped broker again on the same ports and log directory, and waits until it serves clients. */
    public synchronized void restart() {
        requireOpen();
        if (server != null) {
            return;
        }
        KafkaRaftServer again = new KafkaRaftServer(config, Time.SYSTEM);
        again.startup();
        server = again;
        try {
            awaitReady(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker restarted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the restarted broker did not serve clients", e);
        }
    }

    /** Stops the broker and deletes its log directory. Idempotent. */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        shutDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook is running or has run
        }
    }

    private void shutDown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        admin.close(Duration.ofSeconds(5));
        KafkaRaftServer running = server;
        if (running != null) {
            stopQuietly(running);
        }
        deleteRecursively(logDir);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("embedded Kafka broker is closed");
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "embedded Kafka broker did not shut down cleanly", e);
        }
    }

    private static IllegalStateException brokerWantedToExit(String what, int code, String message) {
        IllegalStateException e = new IllegalStateException(
                "embedded Kafka broker called " + what + "(" + code + ")" + (message == null ? "" : ": " + message));
        LOG.log(Level.SEVERE, e.getMessage(), e);
        return e;
    }

    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("portflow-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.fine(() -> "could not delete " + path + ": " + e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "could not delete " + dir, e);
        }
    }
}
