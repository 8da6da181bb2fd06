package dev.portflow.runtime;

import dev.portflow.port.AcknowledgedSequence;
import dev.portflow.port.Connection;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.RemoteLink;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How many of the messages an input port has taken are done with in this process: finished by the
 * port's component and everything they led to finished downstream (handled by every component
 * they reached through in-process buffers, or handed to a buffer outside the process and, when its
 * link is pipelined ({@link RemoteLink#acknowledgements()}), acknowledged by it). A
 * transport that must not acknowledge a message before its effects are safe (Kafka commits
 * offsets only up to {@link #completed()}) counts on it.
 *
 * <p>It proceeds in epochs, so it needs no per-message bookkeeping: an epoch takes the port's
 * finished count {@code F}. A downstream component is done for the epoch in two steps per input
 * port: once all its upstream components in the subgraph are done, it marks how many messages each
 * buffer into the port has accepted; once every marked message has left its buffer (received +
 * evicted reach the mark), the port must finish what it has received by then. Then its own output
 * buffers count as reached, and so on in topological order. Buffers are FIFO and a port's finished
 * count is a prefix of the order it handed messages out in (one worker finishes them in that order;
 * with several, {@link dev.portflow.internal.PortMeasurements#messagesFinished()} counts only
 * messages with none unfinished before them), so when every downstream component is done,
 * everything the first {@code F} messages led to has been handled or evicted: {@code completed()}
 * becomes {@code F}. Under steady load an epoch lasts about one traversal of the pipeline.
 *
 * <p>Why this shape, with {@code DROP_OLDEST} buffers: "held = accepted - evicted" read one count
 * after the other subtracts evictions of messages accepted after the accepted count was read (with
 * a buffer of 2, four sends in between), so the target fell short and an epoch could end while its
 * last message was still being handled: Kafka could commit unfinished work. Received and evicted
 * only grow, so their sum read in any order is at most the true sum now: "every marked message has
 * left" is never concluded early, and it does become true (each message is received or evicted).
 *
 * <p>A pipelined link answers a send before the remote buffer acknowledges it. When a component is
 * done for the epoch (the origin at its start), the link's hand-offs are read after its finished
 * count, so they include every record its finished messages sent; the epoch ends only once the
 * acknowledged prefix reaches that mark. The mark counts hand-offs, not the port's accepted sends:
 * a record handed off whose send has not returned yet may precede a counted one in the link's
 * numbering, and a prefix over accepted sends would let that counted one through unacknowledged.
 *
 * <p>Memory ordering: every count that says "done" is read with acquire semantics (a finished
 * count is published with a release store after the component's sends; buffer indices are
 * volatile) and the counts that depend on it are read after it, in program order, so they include
 * what the finished messages sent. Between the "has left" reads and the received counts that
 * make the target there is an acquire fence, so the target is read no earlier than the check that
 * justified it.
 *
 *
 * <p>Not thread-safe: one caller (the transport's thread) polls it.
 */
public final class CompletionWatermark {

    /** The counts the watermark reads: the live ports and buffers, or a test's scripted interleaving. */
    interface Counts {
        long finished(InputPort<?> port);

        long accepted(Connection<?> c);

        long received(Connection<?> c);

        long evicted(Connection<?> c);

        /**
         * A pipelined remote connection's hand-offs ({@link AcknowledgedSequence#handedOff()}); read
         * only when the pipeline has one (a script of a pipeline without may leave it out).
         */
        default long handedOff(Connection<?> c) {
            throw new UnsupportedOperationException("no pipelined link in this script: " + c);
        }

        /** A pipelined remote connection's acknowledged prefix ({@link AcknowledgedSequence#acknowledged()}). */
        default long acknowledged(Connection<?> c) {
            throw new UnsupportedOperationException("no pipelined link in this script: " + c);
        }
    }

    /** The live counts. */
    static final Counts LIVE = new Counts() {
        @Override
        public long finished(InputPort<?> port) {
            return port.measurements().messagesFinished();
        }

        @Override
        public long accepted(Connection<?> c) {
            return c.statistics().acceptedTotal();
        }

        @Override
        public long received(Connection<?> c) {
            return c.statistics().receivedTotal();
        }

        @Override
        public long evicted(Connection<?> c) {
            return c.statistics().evictedTotal();
        }

        @Override
        public long handedOff(Connection<?> c) {
            return acknowledgements(c).handedOff();
        }

        @Override
        public long acknowledged(Connection<?> c) {
            return acknowledgements(c).acknowledged();
        }

        private static AcknowledgedSequence acknowledgements(Connection<?> c) {
            RemoteLink<?> link = Objects.requireNonNull(c.remote(), "not a remote connection");
            return Objects.requireNonNull(link.acknowledgements(), "not a pipelined link");
        }
    };

    /** A downstream component: its input ports and which of their connections come from the subgraph. */
    private record Stage(ComponentNode node, List<InputPort<?>> inputs, List<Connection<?>> fromSubgraph) {}

    private final InputPort<?> port;
    private final ComponentNode origin;
    private final Counts counts;
    private final List<Stage> stages = new ArrayList<>();
    private final Map<InputPort<?>, List<Connection<?>>> feeding = new HashMap<>();
    private final Set<Connection<?>> reached = new HashSet<>(); // connections whose sender is done for the epoch
    private final Map<InputPort<?>, long[]> marks = new HashMap<>(); // accepted per feeding connection
    private final Map<InputPort<?>, Long> targets = new HashMap<>();
    private final Set<ComponentNode> done = new HashSet<>();
    // pipelined remote connections out of the components done for the epoch: hand-offs to be acknowledged
    private final Map<Connection<?>, Long> handOffMarks = new HashMap<>();
    private long epoch = -1; // the port's finished count the running epoch covers, -1 when none runs
    private long completed;

    CompletionWatermark(List<ComponentNode> nodes, ComponentNode origin, InputPort<?> port) {
        this(nodes, origin, port, LIVE);
    }

    CompletionWatermark(List<ComponentNode> nodes, ComponentNode origin, InputPort<?> port, Counts counts) {
        this.counts = counts;
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
            if (done.contains(s.node()) || !reached.containsAll(s.fromSubgraph())) {
                continue;
            }
            boolean caughtUp = true;
            for (InputPort<?> in : s.inputs()) {
                Long target = targets.get(in);
                if (target == null) {
                    target = receivedOnceMarkedLeft(in);
                    if (target == null) {
                        caughtUp = false;
                        continue;
                    }
                    targets.put(in, target);
                }
                if (counts.finished(in) < target) { // acquire: the output counts read after it include its sends
                    caughtUp = false;
                }
            }
            if (caughtUp) {
                done.add(s.node());
                reach(s.node());
            }
        }
        if (done.size() == stages.size() && handOffsAcknowledged()) {
            completed = Math.max(completed, epoch);
            epoch = -1;
        }
        return completed;
    }

    private void begin() {
        epoch = counts.finished(port); // first, with acquire: the buffers are read after it
        reached.clear();
        marks.clear();
        targets.clear();
        done.clear();
        handOffMarks.clear();
        reach(origin);
    }

    private void reach(ComponentNode n) {
        for (OutputPort<?> out : n.outputs.values()) {
            for (Connection<?> c : out.connections()) {
                RemoteLink<?> link = c.remote();
                if (c.to() != null) {
                    reached.add(c);
                } else if (link != null && link.acknowledgements() != null) {
                    // n is done for the epoch (its finished count was read with acquire), so the
                    // hand-offs counted now include every record its finished messages sent
                    handOffMarks.put(c, counts.handedOff(c));
                }
            }
        }
    }

    /** Whether every pipelined hand-off marked for the epoch is acknowledged. */
    private boolean handOffsAcknowledged() {
        for (Map.Entry<Connection<?>, Long> mark : handOffMarks.entrySet()) {
            if (counts.acknowledged(mark.getKey()) < mark.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of messages {@code in} must have finished for the epoch: what it has received once
     * every message its buffers had accepted at the mark has left them; {@code null} until then.
     */
    private @Nullable Long receivedOnceMarkedLeft(InputPort<?> in) {
        List<Connection<?>> feeds = feeding.getOrDefault(in, List.of());
        long[] mark = marks.get(in);
        if (mark == null) {
            // Read after every upstream in the subgraph was seen done: covers all they sent for the epoch.
            mark = new long[feeds.size()];
            for (int i = 0; i < mark.length; i++) {
                mark[i] = counts.accepted(feeds.get(i));
            }
            marks.put(in, mark);
        }
        for (int i = 0; i < mark.length; i++) {
            Connection<?> c = feeds.get(i);
            if (counts.evicted(c) + counts.received(c) < mark[i]) {
                return null; // a marked message is still buffered
            }
        }
        VarHandle.acquireFence(); // the received counts below are read after the checks above
        long target = 0;
        for (Connection<?> c : feeds) {
            target += counts.received(c); // FIFO: includes every marked message that was not evicted
        }
        return target;
    }
}
