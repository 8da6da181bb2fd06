package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 11: health says DEGRADED for a component that fails every message, hangs, or stopped. */
@Timeout(60)
class PipelineHealthTest {

    @Test
    void aSinkThatFailsEveryMessageIsDegradedUntilOneSucceeds() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        CountDownLatch more = new CountDownLatch(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pipeline pipeline = Pipeline.builder("failing")
                .meterRegistry(registry)
                .healthRules(new HealthRules(5, Duration.ofMinutes(1)))
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 8; i++) {
                        ctx.emit(i);
                    }
                    more.await();
                    ctx.emit(99);
                })
                .sink("disk", Integer.class, id -> {
                    if (broken.get()) {
                        throw new java.io.IOException("No space left on device");
                    }
                })
                .connect("ids.out_ids", "disk.in_ids")
                .build();
        assertThat(pipeline.health().status()).isEqualTo(PipelineHealth.Status.UP);
        pipeline.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.health().isDegraded());

        PipelineHealth health = pipeline.health();
        assertThat(health.problems()).singleElement().satisfies(p -> {
            assertThat(p.component()).isEqualTo("disk");
            assertThat(p.reason()).contains("failed").contains("IOException: No space left on device");
        });
        assertThat(registry.get("portflow.component.degraded")
                        .tag("component", "disk")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(registry.get("portflow.component.degraded")
                        .tag("component", "ids")
                        .gauge()
                        .value())
                .isEqualTo(0.0);

        broken.set(false);
        more.countDown();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.health().status()).isEqualTo(PipelineHealth.Status.UP);
    }

    @Test
    void aFewFailuresAmongSuccessesAreNotDegraded() throws Exception {
        Pipeline pipeline = Pipeline.builder("mostly-fine")
                .healthRules(new HealthRules(3, Duration.ofMinutes(1)))
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("picky", Integer.class, id -> {
                    if (id % 3 != 0) {
                        throw new IllegalStateException("no");
                    }
                })
                .connect("ids.out_ids", "picky.in_ids")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        // 100 messages, two failures in a row at most, then the last one (99) succeeded
        assertThat(pipeline.health().status()).isEqualTo(PipelineHealth.Status.UP);
    }

    @Test
    void aComponentHangingOnOneMessageIsDegraded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handling = new CountDownLatch(1);
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        Pipeline pipeline = Pipeline.builder("hanging")
                .ticker(ticker)
                .healthRules(new HealthRules(10, Duration.ofMillis(200)))
                .source("ids", Integer.class, ctx -> ctx.emit(1))
                .sink("nfs", Integer.class, id -> {
                    handling.countDown();
                    release.await();
                })
                .connect("ids.out_ids", "nfs.in_ids")
                .build();
        pipeline.start();
        assertThat(handling.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // the source has sent its one message; wait until it has ended, or it is busy too when the
        // ticker jumps (its thread may not have run its last lines yet)
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.outputPort("ids", "out_ids").isClosed());
        ticker.advance(Duration.ofMillis(200));
        assertThat(pipeline.health().isDegraded())
                .as("busy for exactly stuckAfter: not yet")
                .isFalse();
        ticker.advance(Duration.ofSeconds(75));
        assertThat(pipeline.health().isDegraded()).isTrue();
        assertThat(pipeline.health().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("busy on one message for 75 s"));
        release.countDown();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.health().isDegraded()).isFalse();
    }

    @Test
    void aSourceThatStoppedAfterAnErrorIsDegraded() throws Exception {
        Pipeline pipeline = Pipeline.builder("broken-source")
                .source("feed", Integer.class, ctx -> {
                    throw new IllegalStateException("connection refused");
                })
                .sink("out", Integer.class, id -> {})
                .connect("feed.out_ids", "out.in_ids", ConnectionOptions.defaults())
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.health().problems()).singleElement().satisfies(p -> {
            assertThat(p.component()).isEqualTo("feed");
            assertThat(p.reason()).isEqualTo("stopped after an error (IllegalStateException: connection refused)");
        });
    }
}
