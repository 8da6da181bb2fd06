package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.EventTimed;
import dev.portflow.metrics.PortMeterBinder;
import dev.portflow.metrics.PortMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Message age from event time (or ingest time) to receive; clock skew; queue wait. */
class MessageAgeTest {

    record Reading(long id, Instant eventTime) implements EventTimed {
    }

    private final OutputPort<Reading> out = new OutputPort<>("out_readings", Reading.class);
    private final InputPort<Reading> in = new InputPort<>("in_readings", Reading.class);

    @Test
    void anEventHundredMillisecondsOldIsReceivedAtAboutThatAge() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        out.send(new Reading(1, Instant.now().minusMillis(100)));
        // A couple of milliseconds more, so clock calibration noise cannot pull the age below 100 ms.
        Thread.sleep(2);
        assertThat(in.receive().id()).isEqualTo(1);

        PortMetrics m = in.metrics();
        assertThat(m.maxMessageAgeMs()).isBetween(100.0, 150.0);
        assertThat(m.avgMessageAgeMs()).isBetween(100.0, 150.0);
        // Percentiles come from histogram buckets: within their 12.5 % precision of the exact age.
        assertThat(m.p50MessageAgeMs()).isBetween(100.0 * 0.875, m.maxMessageAgeMs());
        assertThat(m.p99MessageAgeMs()).isBetween(100.0 * 0.875, m.maxMessageAgeMs());
        assertThat((Double) m.toMap().get("max_message_age_ms")).isBetween(100.0, 150.0);
        assertThat((Double) m.toMap().get("avg_message_age_ms")).isBetween(100.0, 150.0);
        assertThat(m.clockSkewTotal()).isZero();
        assertThat(in.measurements().messageAge.count()).isEqualTo(1);
        // It waited in the queue only the few milliseconds between send and receive.
        assertThat(m.avgQueueWaitMs()).isGreaterThanOrEqualTo(2.0).isLessThan(100.0);
    }

    @Test
    void anEventFromTheFutureIsAgedZeroAndCountedAsClockSkew() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        PortMeterBinder.bind(registry, "p", in.measurements());
        out.send(new Reading(1, Instant.now().plusSeconds(30)));
        in.receive();

        PortMetrics m = in.metrics();
        assertThat(m.clockSkewTotal()).isEqualTo(1);
        assertThat(m.toMap()).containsEntry("clock_skew_total", 1L);
        assertThat(in.measurements().messageAge.count()).isEqualTo(1);
        assertThat(in.measurements().messageAge.maxNanos()).isZero();
        assertThat(m.maxMessageAgeMs()).isZero();
        assertThat(m.avgMessageAgeMs()).isZero();
        assertThat(registry.get("portflow.port.clock.skew").functionCounter().count()).isEqualTo(1.0);

        // A normal message afterwards is aged normally and is not skew.
        out.send(new Reading(2, Instant.now().minusMillis(50)));
        in.receive();
        assertThat(in.metrics().clockSkewTotal()).isEqualTo(1);
        assertThat(in.metrics().maxMessageAgeMs()).isGreaterThanOrEqualTo(49.0);
    }

    @Test
    void withoutAnEventTimeTheAgeCountsFromTheSend() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        out.send(new Reading(1, null));
        Thread.sleep(80);
        in.receive();
        PortMetrics m = in.metrics();
        assertThat(m.maxMessageAgeMs()).isGreaterThanOrEqualTo(80.0).isLessThan(5_000.0);
        assertThat(m.avgQueueWaitMs()).isGreaterThanOrEqualTo(80.0).isLessThan(5_000.0);
    }

    @Test
    void anInheritedOriginIsCarriedOver() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        long origin = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(300);
        out.send(new Reading(1, null), origin);
        in.receive();
        assertThat(in.lastOrigin()).isEqualTo(origin);
        assertThat(in.metrics().maxMessageAgeMs()).isGreaterThanOrEqualTo(300.0).isLessThan(5_000.0);
        // queue wait is enqueue to dequeue, not the inherited age
        assertThat(in.metrics().avgQueueWaitMs()).isLessThan(300.0);
    }

    @Test
    void lastActivityIsTheWallClockOfTheLastSendOrReceive() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        assertThat(out.metrics().lastActivity()).isZero();
        double before = System.currentTimeMillis() / 1000.0;
        out.send(new Reading(1, null));
        in.receive();
        double after = System.currentTimeMillis() / 1000.0;
        assertThat(out.metrics().lastActivity()).isBetween(before - 1, after + 1);
        assertThat(in.metrics().lastActivity()).isBetween(before - 1, after + 1);
    }

    @Test
    void untimedConnectionsCountButDoNotReadTheClock() throws Exception {
        Ports.connect(out, in, ConnectionOptions.defaults().capacity(4).timed(false));
        out.send(new Reading(1, Instant.now().minusSeconds(5)));
        in.receive(Duration.ofSeconds(5));
        assertThat(in.metrics().messagesIn()).isEqualTo(1);
        assertThat(out.metrics().messagesOut()).isEqualTo(1);
        assertThat(in.measurements().messageAge.count()).isZero();
        assertThat(in.measurements().queueWait.count()).isZero();
    }
}
