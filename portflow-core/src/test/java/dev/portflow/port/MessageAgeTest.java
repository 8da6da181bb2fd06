package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.EventTimed;
import dev.portflow.FakeTicker;
import dev.portflow.internal.PortMeterBinder;
import dev.portflow.metrics.PortMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Message age from event time (or ingest time) to receive; clock skew; queue wait. Exact, on a fake ticker. */
class MessageAgeTest {

    private static final long MS = 1_000_000L;

    record Reading(long id, @Nullable Instant eventTime) implements EventTimed {}

    private final OutputPort<Reading> out = new OutputPort<>("out_readings", Reading.class);
    private final InputPort<Reading> in = new InputPort<>("in_readings", Reading.class);
    private final FakeTicker ticker = new FakeTicker();

    MessageAgeTest() {
        out.ticker(ticker);
        in.ticker(ticker);
    }

    private Instant now() {
        return ticker.instantAt(ticker.now());
    }

    @Test
    void anEventHundredMillisecondsOldIsReceivedAtThatAge() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        out.send(new Reading(1, now().minusMillis(100)));
        ticker.advance(2 * MS);
        assertThat(Objects.requireNonNull(in.receive()).id()).isEqualTo(1);

        PortMetrics m = in.metrics();
        assertThat(m.maxMessageAgeMs()).isEqualTo(102.0);
        assertThat(m.avgMessageAgeMs()).isEqualTo(102.0);
        // Percentiles come from histogram buckets, clamped to the recorded range: one sample is exact.
        assertThat(m.p50MessageAgeMs()).isEqualTo(102.0);
        assertThat(m.p99MessageAgeMs()).isEqualTo(102.0);
        assertThat((Double) m.toMap().get("max_message_age_ms")).isEqualTo(102.0);
        assertThat((Double) m.toMap().get("avg_message_age_ms")).isEqualTo(102.0);
        assertThat(m.clockSkewTotal()).isZero();
        assertThat(in.measurements().messageAge.count()).isEqualTo(1);
        // It waited in the queue only the 2 ms between send and receive.
        assertThat(m.avgQueueWaitMs()).isEqualTo(2.0);
    }

    /**
     * Between two coarse-clock steps (the fake one moves in 200 µs steps): the send maps the event
     * time through the exact reading, not the coarse one, or the age would come out 150 µs short.
     */
    @Test
    void anEventTimeIsMappedThroughTheExactReadingBetweenCoarseSteps() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        ticker.advance(150_000); // 150 µs past a coarse step
        out.send(new Reading(1, now().minusMillis(100)));
        ticker.advance(2 * MS);
        assertThat(Objects.requireNonNull(in.receive()).id()).isEqualTo(1);
        assertThat(in.measurements().messageAge.maxNanos()).isEqualTo(102 * MS);
    }

    @Test
    void anEventFromTheFutureIsAgedZeroAndCountedAsClockSkew() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        PortMeterBinder.bind(registry, "p", in.measurements());
        out.send(new Reading(1, now().plusSeconds(30)));
        in.receive();

        PortMetrics m = in.metrics();
        assertThat(m.clockSkewTotal()).isEqualTo(1);
        assertThat(m.toMap()).containsEntry("clock_skew_total", 1L);
        assertThat(in.measurements().messageAge.count()).isEqualTo(1);
        assertThat(in.measurements().messageAge.maxNanos()).isZero();
        assertThat(m.maxMessageAgeMs()).isZero();
        assertThat(m.avgMessageAgeMs()).isZero();
        assertThat(registry.get("portflow.port.clock.skew").functionCounter().count())
                .isEqualTo(1.0);

        // A normal message afterwards is aged normally and is not skew.
        out.send(new Reading(2, now().minusMillis(50)));
        in.receive();
        assertThat(in.metrics().clockSkewTotal()).isEqualTo(1);
        assertThat(in.metrics().maxMessageAgeMs()).isEqualTo(50.0);
    }

    @Test
    void withoutAnEventTimeTheAgeCountsFromTheSend() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        out.send(new Reading(1, null));
        ticker.advance(80 * MS);
        in.receive();
        PortMetrics m = in.metrics();
        assertThat(m.maxMessageAgeMs()).isEqualTo(80.0);
        assertThat(m.avgQueueWaitMs()).isEqualTo(80.0);
    }

    @Test
    void anInheritedOriginIsCarriedOver() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        long origin = ticker.now() - TimeUnit.MILLISECONDS.toNanos(300);
        out.send(new Reading(1, null), origin);
        ticker.advance(4 * MS);
        in.receive();
        assertThat(in.lastOrigin()).isEqualTo(origin);
        assertThat(in.metrics().maxMessageAgeMs()).isEqualTo(304.0);
        // queue wait is enqueue to dequeue, not the inherited age
        assertThat(in.metrics().avgQueueWaitMs()).isEqualTo(4.0);
    }

    @Test
    void lastActivityIsTheWallClockOfTheLastSendOrReceive() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        assertThat(out.metrics().lastActivity()).isZero();
        Instant sent = now();
        out.send(new Reading(1, null));
        ticker.advance(1_500 * MS);
        in.receive();
        assertThat(out.metrics().lastActivity()).isEqualTo(sent.toEpochMilli() / 1000.0);
        assertThat(in.metrics().lastActivity()).isEqualTo(sent.plusMillis(1_500).toEpochMilli() / 1000.0);
    }

    @Test
    void untimedConnectionsCountButDoNotReadTheClock() throws Exception {
        Ports.connect(out, in, ConnectionOptions.defaults().capacity(4).timed(false));
        out.send(new Reading(1, now().minusSeconds(5)));
        in.receive(Duration.ofSeconds(5));
        assertThat(in.metrics().messagesIn()).isEqualTo(1);
        assertThat(out.metrics().messagesOut()).isEqualTo(1);
        assertThat(in.measurements().messageAge.count()).isZero();
        assertThat(in.measurements().queueWait.count()).isZero();
    }
}
