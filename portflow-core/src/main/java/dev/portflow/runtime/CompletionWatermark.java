package dev.portflow.runtime;

import dev.portflow.port.Connection;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many of the messages an input port has taken are done with in this process: finished by the
 * port's component and everything they led to finished downstream (handled by every component
 * they reached through in-process buffers, or handed to a buffer outside the process). A
 * transport that must not acknowledge a message before its effects are safe (Kafka commits
 * offsets only up to {@link #completed()}) counts on it.
 *
 * <p>It proceeds in epochs, so it needs no per-message bookkeeping: an epoch takes the port's
 * finished count {@code F}, then the number of messages accepted (minus evicted) on each of the
 * component's output buffers. A downstream component is done for the epoch once its input ports
 * have finished at least what their buffers held when all its upstream components were done; then
 * its own output buffers are read, and so on in topological order. Buffers are FIFO and a port's
 * finished count is a prefix of the order it handed messages out in (one worker finishes them in
 * that order; with several, {@link dev.portflow.metrics.PortMeasurements#messagesFinished()} counts
 * only messages with none unfinished before them), so when every downstream component is done,
 * everything the first {@code F} messages led to has been handled: {@code completed()} becomes {@code F}. Counts
 * read later than needed only make an epoch wait longer, never end early. Under steady load an
 * epoch lasts about one traversal of the pipeline.
 *
 * <p>Not thread-safe: one caller (the transport's thread) polls it.
 */
public final class CompletionWatermark {

    /** A downstream component: its input ports and which of their connections come from the subgraph. */
    private record Stage(ComponentNode node, List<InputPort<?>> inputs, List<Connection<?>> fromSubgraph) {
    }

    private final InputPort<?> port;
    private final ComponentNode origin;
    private final List<Stage> stages = new ArrayList<>();
    private final Map<InputPort<?>, List<Connection<?>>> feeding = new HashMap<>();
    private final Map<Connection<?>, Long> snapshots = new HashMap<>();
    private final Map<InputPort<?>, Long> targets = new HashMap<>();
    private final Set<ComponentNode> done = new HashSet<>();
    private long epoch = -1; // the port's finished count the running epoch covers, -1 when none runs
    private long completed;

    CompletionWatermark(List<ComponentNode> nodes, ComponentNode origin, InputPort<?> port) {
        this.origin = origin;
        this.port = port;
        Map<InputPort<?>, ComponentNode> owner = new HashMap<>();
        Map<OutputPort<?>, ComponentNode> sender = new HashMap<>();
        for (ComponentNode n : nodes) {
            n.inputs.values().forEach(p -> owner.put(p, n));
            n.outputs.values().forEach(p -> sender.put(p, n));
        }
        for (ComponentNode n : nodes) {
            for (OutputPort<?> out : n.outputs.values()) {
                for (Connection<?> c : out.connections()) {
                    if (c.to() != null) {
                        feeding.computeIfAbsent(c.to(), p -> new ArrayList<>()).add(c);
                    }
                }
            }
        }
        // the components reachable from the origin through in-process connections, in topological order
        Set<ComponentNode> reached = new LinkedHashSet<>();
        reached.add(origin);
        for (ComponentNode n : nodes) { // nodes are in topological order: one pass finds every descendant
            if (!reached.contains(n)) {
                continue;
            }
            for (OutputPort<?> out : n.outputs.values()) {
                for (Connection<?> c : out.connections()) {
                    if (c.to() != null) {
                        reached.add(owner.get(c.to()));
                    }
                }
            }
        }
        for (ComponentNode n : nodes) {
            if (n == origin || !reached.contains(n)) {
                continue;
            }
            List<Connection<?>> fromSubgraph = new ArrayList<>();
            for (InputPort<?> in : n.inputs.values()) {
                for (Connection<?> c : feeding.getOrDefault(in, List.of())) {
                    if (reached.contains(sender.get(c.from()))) {
                        fromSubgraph.add(c);
                    }
                }
            }
            stages.add(new Stage(n, List.copyOf(n.inputs.values()), fromSubgraph));
        }
    }

    /**
     * The number of the port's finished messages whose work is complete in this process; never
     * decreases. Advances the running epoch and starts the next when it completes.
     */
    public long completed() {
        if (epoch < 0) {
            begin();
        }
        for (Stage s : stages) {
            if (done.contains(s.node()) || !s.fromSubgraph().stream().allMatch(snapshots::containsKey)) {
                continue;
            }
            boolean caughtUp = true;
            for (InputPort<?> in : s.inputs()) {
                long target = targets.computeIfAbsent(in, this::heldSoFar);
                if (in.measurements().messagesFinished() < target) {
                    caughtUp = false;
                }
            }
            if (caughtUp) {
                done.add(s.node());
                snapshotOutputs(s.node());
            }
        }
        if (done.size() == stages.size()) {
            completed = Math.max(completed, epoch);
            epoch = -1;
        }
        return completed;
    }

    private void begin() {
        epoch = port.measurements().messagesFinished(); // first: the buffers are read after it
        snapshots.clear();
        targets.clear();
        done.clear();
        snapshotOutputs(origin);
    }

    private void snapshotOutputs(ComponentNode n) {
        for (OutputPort<?> out : n.outputs.values()) {
            for (Connection<?> c : out.connections()) {
                if (c.to() != null) {
                    var stats = c.statistics();
                    snapshots.put(c, stats.acceptedTotal() - stats.evictedTotal());
                }
            }
        }
    }

    /** What {@code in}'s buffers have held so far and not lost to eviction: the messages it will have finished. */
    private long heldSoFar(InputPort<?> in) {
        long total = 0;
        for (Connection<?> c : feeding.getOrDefault(in, List.of())) {
            var stats = c.statistics();
            total += stats.acceptedTotal() - stats.evictedTotal();
        }
        return total;
    }
}
