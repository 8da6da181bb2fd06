package dev.portflow.internal;

import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.HistogramMeters;
import dev.portflow.metrics.PortCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Registers the SPEC's port meters for one port. Every meter reads the port's live
 * {@link PortMeasurements}; nothing is copied or updated per message on the Micrometer side.
 *
 * <p>Tags: {@code pipeline}, {@code component}, {@code port}, plus {@code transport}
 * ({@code memory} for in-process connections) so that a connection bound to another transport
 * keeps the same metric names and tag keys.
 */
public final class PortMeterBinder {

    public static final String TRANSPORT_MEMORY = "memory";

    private PortMeterBinder() {}

    /** The tags of a port meter. */
    public static Tags portTags(String pipeline, String component, String port, String transport) {
        return Tags.of("pipeline", pipeline, "component", component, "port", port, "transport", transport);
    }

    /** Registers every meter of {@code m} in {@code registry}. */
    public static void bind(MeterRegistry registry, String pipeline, PortMeasurements m) {
        Tags tags = portTags(pipeline, m.component(), m.portName(), m.transport());
        boolean input = m.direction() == PortCounters.Direction.INPUT;

        if (input) {
            FunctionCounter.builder("portflow.port.messages.in", m, PortMeasurements::messagesIn)
                    .description("Messages received by an input port")
                    .tags(tags)
                    .register(registry);
        } else {
            FunctionCounter.builder("portflow.port.messages.out", m, PortMeasurements::messagesOut)
                    .description("Messages accepted by a channel from an output port")
                    .tags(tags)
                    .register(registry);
        }
        for (DropReason reason : DropReason.values()) {
            if (reason.countedOn(m.direction())) {
                FunctionCounter.builder("portflow.port.messages.dropped", m, x -> x.dropped(reason))
                        .description("Messages dropped, by reason")
                        .tags(tags)
                        .tag("reason", reason.tag())
                        .register(registry);
            }
        }
        bindErrors(registry, tags, m);

        Gauge.builder("portflow.port.queue.depth", m, PortMeasurements::depth)
                .description("Messages buffered now")
                .tags(tags)
                .register(registry);
        Gauge.builder("portflow.port.buffer.capacity", m, PortMeasurements::capacity)
                .description("Channel capacity")
                .tags(tags)
                .register(registry);
        Gauge.builder("portflow.port.buffer.utilization", m, PortMeasurements::utilization)
                .description("Depth / capacity, 0..1")
                .tags(tags)
                .register(registry);
        Gauge.builder(
                        "portflow.port.oldest.message.age",
                        m,
                        x -> x.oldestMessageAgeNanos(x.ticker().read()) / 1e9)
                .description("Age of the message at the head of the buffer")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry);
        Gauge.builder("portflow.port.last.activity", m, x -> x.lastActivityEpochMillis() / 1000.0)
                .description("Last send or receive, epoch seconds")
                .tags(tags)
                .register(registry);

        if (input) {
            HistogramMeters.register(
                    registry,
                    "portflow.port.process.duration",
                    "Time the component spends handling one message",
                    tags,
                    m.processDuration);
            HistogramMeters.register(
                    registry,
                    "portflow.port.message.age",
                    "Event time (or ingest time) to receive",
                    tags,
                    m.messageAge);
            HistogramMeters.register(registry, "portflow.port.queue.wait", "Enqueue to dequeue", tags, m.queueWait);
            FunctionCounter.builder("portflow.port.clock.skew", m, PortMeasurements::clockSkewCount)
                    .description("Messages whose event time was in the future (age recorded as zero)")
                    .tags(tags)
                    .register(registry);
        } else {
            HistogramMeters.register(
                    registry, "portflow.port.blocked.duration", "Time a send waited on a full buffer", tags, m.blocked);
        }
    }

    /** Error counters appear per {@code error_type} as types are first seen. */
    private static void bindErrors(MeterRegistry registry, Tags tags, PortMeasurements m) {
        Set<String> bound = ConcurrentHashMap.newKeySet();
        Runnable bindNew = () -> m.errorsByType().forEach((type, adder) -> {
            if (bound.add(type)) {
                FunctionCounter.builder("portflow.port.errors", adder, LongAdder::sum)
                        .description("Failures handling a message")
                        .tags(tags)
                        .tag("error_type", type)
                        .register(registry);
            }
        });
        m.onErrorTypeAdded(bindNew);
        bindNew.run();
    }
}
