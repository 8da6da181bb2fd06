package dev.portflow.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Small pieces the recipe tests build their pipelines from. */
final class TestSupport {

    private TestSupport() {}

    /** A message with a random id, ingested now. */
    static JsonMessage json(Object body) {
        return new JsonMessage(UUID.randomUUID().toString(), Instant.now(), null, body);
    }

    /** A mutable JSON object from alternating keys and values. */
    static Map<String, Object> obj(@Nullable Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A source that emits the given messages, then ends. */
    static Source<JsonMessage> source(JsonMessage... messages) {
        List<JsonMessage> list = List.copyOf(Arrays.asList(messages));
        return ctx -> {
            for (JsonMessage m : list) {
                ctx.emit(m);
            }
        };
    }

    /** A source emitting one message per body. */
    static Source<JsonMessage> bodies(Object... bodies) {
        List<JsonMessage> list = new ArrayList<>();
        for (Object b : bodies) {
            list.add(json(b));
        }
        return source(list.toArray(JsonMessage[]::new));
    }

    /** A sink that keeps what it receives. */
    static final class Capture<T> implements Sink<T> {
        final List<T> received = new CopyOnWriteArrayList<>();
        volatile boolean flushed;

        @Override
        public void accept(T message) {
            received.add(message);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @SuppressWarnings("unchecked")
        List<Object> bodies() {
            return received.stream().map(m -> ((JsonMessage) m).body()).toList();
        }
    }

    /** Builds, starts and waits (10 s at most) for the pipeline to end. */
    static Pipeline run(PipelineBuilder builder) throws InterruptedException {
        Pipeline pipeline = builder.build().start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10)))
                .as("pipeline ended within 10 s")
                .isTrue();
        return pipeline;
    }

    /** The count of messages dropped with {@code reason} on an input port. */
    static long dropped(Pipeline pipeline, String component, String port, String reason) {
        return pipeline.inputPort(component, port).metrics().droppedByReason().getOrDefault(reason, 0L);
    }

    /** The context a component gets from a running pipeline, for tests that call {@code setup} themselves. */
    static ComponentContext context(String pipeline, String component) {
        MeterRegistry registry = new SimpleMeterRegistry();
        return new ComponentContext() {
            @Override
            public String pipelineName() {
                return pipeline;
            }

            @Override
            public String componentName() {
                return component;
            }

            @Override
            public boolean isRunning() {
                return true;
            }

            @Override
            public MeterRegistry meterRegistry() {
                return registry;
            }
        };
    }

    /** One worker's part of {@link #concurrently}: worker {@code worker} of them all. */
    @FunctionalInterface
    interface WorkerTask {
        void run(int worker) throws Exception;
    }

    /**
     * Runs {@code task} on {@code workers} threads released at the same moment, as a pool of workers
     * calls one component, and waits for them (30 s at most).
     *
     * @return what the tasks threw, empty when none failed
     */
    static List<Throwable> concurrently(int workers, WorkerTask task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    task.run(worker);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        ready.await();
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as(t.getName() + " finished within 30 s").isFalse();
        }
        return failures;
    }
}
