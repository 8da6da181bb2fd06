package dev.portflow.dashboard;

import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.Ingress;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.HistogramSnapshot;
import dev.portflow.metrics.PortCounters;
import dev.portflow.port.Connection;
import dev.portflow.runtime.ComponentState;
import dev.portflow.runtime.PipelineView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the pipeline's cumulative counters into a {@link Frame} of rates and shares over the time
 * since the previous sample. Reads only what the ports, connections and component clocks already
 * keep (no extra work on the message path). One thread calls {@link #sample}; it keeps the previous
 * readings.
 */
final class PipelineSampler {

    private static final DropReason[] SENDER_REASONS = {
        DropReason.DROP_NEWEST, DropReason.DROP_OLDEST, DropReason.TIMEOUT, DropReason.FAIL, DropReason.CLOSED
    };
    private static final DropReason[] RECEIVER_REASONS = {DropReason.FILTERED, DropReason.INVALID};
    /** In the order of a sample's busy, idle and backpressured shares. */
    private static final ComponentState[] STATES = {
        ComponentState.BUSY, ComponentState.IDLE, ComponentState.BACKPRESSURED
    };

    private static final double NANOS_PER_MS = 1e6;

    private final PipelineView pipeline;
    private final Topology topology;
    private final List<NodeReader> nodes = new ArrayList<>();
    private final List<EdgeReader> edges = new ArrayList<>();
    private final List<IngressReader> ingress = new ArrayList<>();
    private long seq = -1;
    private long lastNanos;

    PipelineSampler(PipelineView pipeline, Topology topology) {
        this.pipeline = pipeline;
        this.topology = topology;
        for (Topology.Node node : topology.nodes()) {
            if (node.kind().equals(Topology.REMOTE)) {
                continue; // not a component of this process: nothing to sample
            }
            List<PortCounters> inputs = node.inputs().stream()
                    .map(p -> pipeline.inputPort(node.name(), p).counters())
                    .toList();
            List<PortCounters> outputs = node.outputs().stream()
                    .map(p -> pipeline.outputPort(node.name(), p).counters())
                    .toList();
            nodes.add(new NodeReader(node, inputs, outputs));
        }
        for (Connection<?> c : pipeline.connections()) {
            edges.add(new EdgeReader(Topology.edgeId(c), c));
        }
        int i = 0;
        for (ApiEndpoint<?> endpoint : pipeline.componentsOfType(ApiEndpoint.class)) {
            ingress.add(new IngressReader(topology.ingress().get(i++), endpoint.ingress()));
        }
    }

    /**
     * Reads everything now. The first call only sets the baseline: its rates and shares are 0 and
     * its ages {@code null}.
     */
    Frame sample(long nowNanos, long epochMillis) {
        boolean first = seq < 0;
        double seconds = first ? 0 : Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
        seq++;
        lastNanos = nowNanos;

        Map<String, NodeSample> nodeSamples = new LinkedHashMap<>();
        for (NodeReader r : nodes) {
            nodeSamples.put(r.node.name(), r.read(seconds));
        }
        Map<String, EdgeSample> edgeSamples = new LinkedHashMap<>();
        for (EdgeReader r : edges) {
            edgeSamples.put(r.id, r.read(seconds, nowNanos));
        }
        List<IngressSample> ingressSamples = new ArrayList<>();
        for (IngressReader r : ingress) {
            ingressSamples.add(r.read(seconds));
        }
        BottleneckFinder.Findings findings = BottleneckFinder.examine(topology, nodeSamples, edgeSamples);
        return new Frame(
                seq,
                epochMillis,
                topology.intervalMs(),
                pipeline.state().name(),
                nodeSamples,
                edgeSamples,
                findings.bottleneck(),
                findings.scaling(),
                ingressSamples);
    }

    /** {@code delta / seconds}, or 0 for the baseline sample. */
    private static double rate(double delta, double seconds) {
        return seconds == 0 ? 0 : Math.max(0, delta) / seconds;
    }

    private final class NodeReader {
        final Topology.Node node;
        final List<PortCounters> inputs;
        final List<PortCounters> outputs;
        final double[] lastSeconds = new double[STATES.length];
        long lastIn;
        long lastOut;
        long lastErrors;

        NodeReader(Topology.Node node, List<PortCounters> inputs, List<PortCounters> outputs) {
            this.node = node;
            this.inputs = inputs;
            this.outputs = outputs;
        }

        /**
         * The component clocks count worker-seconds: over an interval busy + idle + backpressured add
         * up to the workers' summed time (N x wall time with N workers, less when workers came or went
         * in it). Each share is of that sum, so it stays within 0..1 however many workers there are.
         */
        NodeSample read(double seconds) {
            double[] delta = new double[STATES.length];
            double workerSeconds = 0;
            for (int i = 0; i < STATES.length; i++) {
                double now = pipeline.componentSeconds(node.name(), STATES[i]);
                delta[i] = Math.max(0, now - lastSeconds[i]);
                lastSeconds[i] = now;
                workerSeconds += delta[i];
            }
            boolean measured = seconds > 0 && workerSeconds > 0;
            long in = inputs.stream().mapToLong(PortCounters::messagesIn).sum();
            long out = outputs.stream().mapToLong(PortCounters::messagesOut).sum();
            long errors = inputs.stream().mapToLong(PortCounters::errorsTotal).sum()
                    + outputs.stream().mapToLong(PortCounters::errorsTotal).sum();
            // decisions are read only for autoscaled components: the others never have any
            @Nullable
            Long lastDecision =
                    node.autoscaled() ? DecisionLog.latestTime(pipeline.scalingDecisions(node.name())) : null;
            NodeSample sample = new NodeSample(
                    node.kind(),
                    measured ? delta[0] / workerSeconds : 0,
                    measured ? delta[1] / workerSeconds : 0,
                    measured ? delta[2] / workerSeconds : 0,
                    rate(in - lastIn, seconds),
                    rate(out - lastOut, seconds),
                    rate(errors - lastErrors, seconds),
                    errors,
                    pipeline.workers(node.name()),
                    lastDecision,
                    node.autoscaled() ? pipeline.workersLimit(node.name()) : Integer.MAX_VALUE);
            lastIn = in;
            lastOut = out;
            lastErrors = errors;
            return sample;
        }
    }

    private static final class EdgeReader {
        final String id;
        final Connection<?> connection;
        final PortCounters sender;
        final PortCounters receiver;
        HistogramSnapshot lastAge = HistogramSnapshot.EMPTY;
        Map<String, Long> lastDropsByReason = Map.of();
        long lastAccepted;
        long lastReceived;
        long lastDrops;
        double lastBlockedNanos;

        EdgeReader(String id, Connection<?> connection) {
            this.id = id;
            this.connection = connection;
            this.sender = connection.from().counters();
            // a connection leaving the process has no receiving port here
            this.receiver = connection.to() == null
                    ? PortCounters.absent("remote", PortCounters.Direction.INPUT)
                    : connection.to().counters();
        }

        EdgeSample read(double seconds, long nowNanos) {
            var stats = connection.statistics();
            Map<String, Long> drops = new LinkedHashMap<>();
            Map<String, Double> dropRates = new LinkedHashMap<>();
            long dropTotal = 0;
            for (DropReason reason : SENDER_REASONS) {
                dropTotal += countDrop(reason, sender.dropped(reason), drops, dropRates, seconds);
            }
            for (DropReason reason : RECEIVER_REASONS) {
                dropTotal += countDrop(reason, receiver.dropped(reason), drops, dropRates, seconds);
            }
            HistogramSnapshot age = receiver.messageAges();
            HistogramSnapshot window = age.minus(lastAge);
            boolean aged = seconds > 0 && window.count() > 0;
            double blocked = sender.blockedNanos();
            int capacity = stats.maxBufferSize();
            int depth = stats.currentBufferUsed();
            EdgeSample sample = new EdgeSample(
                    depth,
                    capacity,
                    capacity == 0 ? 0 : Math.min(1.0, (double) depth / capacity),
                    rate(stats.acceptedTotal() - lastAccepted, seconds),
                    rate(stats.receivedTotal() - lastReceived, seconds),
                    aged ? window.percentileNanos(0.50) / NANOS_PER_MS : null,
                    aged ? window.percentileNanos(0.99) / NANOS_PER_MS : null,
                    receiver.oldestMessageAgeNanos(nowNanos) / NANOS_PER_MS,
                    rate((blocked - lastBlockedNanos) / NANOS_PER_MS, seconds),
                    rate(dropTotal - lastDrops, seconds),
                    dropRates,
                    drops);
            lastAge = age;
            lastAccepted = stats.acceptedTotal();
            lastReceived = stats.receivedTotal();
            lastDrops = dropTotal;
            lastDropsByReason = drops;
            lastBlockedNanos = blocked;
            return sample;
        }

        /** Records {@code total} for {@code reason} and, when it grew in the interval, its rate. */
        private long countDrop(
                DropReason reason, long total, Map<String, Long> totals, Map<String, Double> rates, double seconds) {
            totals.put(reason.tag(), total);
            long delta = total - lastDropsByReason.getOrDefault(reason.tag(), 0L);
            if (seconds > 0 && delta > 0) {
                rates.put(reason.tag(), rate(delta, seconds));
            }
            return total;
        }
    }

    private static final class IngressReader {
        final Topology.Endpoint endpoint;
        final Ingress<?> ingress;
        long lastAccepted;
        long lastBackpressured;
        long lastClientErrors;

        IngressReader(Topology.Endpoint endpoint, Ingress<?> ingress) {
            this.endpoint = endpoint;
            this.ingress = ingress;
        }

        IngressSample read(double seconds) {
            long accepted = ingress.responses(202, 203);
            long backpressured = ingress.responses(503, 504);
            long clientErrors = ingress.responses(400, 500);
            IngressSample sample = new IngressSample(
                    endpoint.component(),
                    endpoint.path(),
                    rate(accepted - lastAccepted, seconds),
                    rate(backpressured - lastBackpressured, seconds),
                    rate(clientErrors - lastClientErrors, seconds),
                    ingress.retryAfterSeconds(),
                    accepted,
                    backpressured,
                    clientErrors);
            lastAccepted = accepted;
            lastBackpressured = backpressured;
            lastClientErrors = clientErrors;
            return sample;
        }
    }
}
