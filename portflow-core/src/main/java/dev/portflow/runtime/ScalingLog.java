package dev.portflow.runtime;

import java.util.ArrayDeque;
import java.util.List;

/** The latest scaling decisions of one component, newest last, for the dashboard and /metrics.json. */
final class ScalingLog {

    static final int KEPT = 20;

    private final ArrayDeque<ScalingDecision> latest = new ArrayDeque<>(KEPT);
    private long up;
    private long down;

    synchronized void add(ScalingDecision decision) {
        if (latest.size() == KEPT) {
            latest.removeFirst();
        }
        latest.addLast(decision);
        if (decision.to() > decision.from()) {
            up++;
        } else {
            down++;
        }
    }

    synchronized List<ScalingDecision> latest() {
        return List.copyOf(latest);
    }

    synchronized long count(boolean widening) {
        return widening ? up : down;
    }
}
