package dev.portflow.kafka;

import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * Runs an {@link EmbeddedKafkaBroker} as a process of its own, for manual runs and benchmarks that
 * need a broker outside the JVM under test.
 *
 * <p>The first line on standard output is {@code bootstrap=<host:port>}; nothing else is written
 * to standard output (logs go to standard error). The broker runs until the process is stopped;
 * SIGTERM or Ctrl-C shut it down and delete its log directory.
 *
 * <pre>{@code
 * ./mvnw -q -pl portflow-kafka test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp portflow-kafka/target/test-classes:portflow-kafka/target/classes:$(cat portflow-kafka/target/test-classpath.txt) \
 *     dev.portflow.kafka.EmbeddedKafkaMain
 * }</pre>
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        // A process of its own may die on a fatal broker fault, as kafka-server-start does;
        // only a test JVM needs protecting from Kafka's halt.
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.flush();
        // The broker's shutdown hook closes it on SIGTERM; until then, wait.
        new CountDownLatch(1).await();
    }
}
