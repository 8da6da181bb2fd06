package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.metrics.PortMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the port tests. */
final class PortTesting {

    static final List<String> OUTPUT_REASONS = List.of("drop_newest", "drop_oldest", "timeout", "fail", "closed");

    private PortTesting() {}

    /** Takes every message buffered now, never waiting. */
    static <T> List<T> drain(InputPort<T> in) {
        List<T> out = new ArrayList<>();
        for (T m = in.poll(); m != null; m = in.poll()) {
            out.add(m);
        }
        return out;
    }

    static List<Long> seqs(List<Msg> messages) {
        return messages.stream().map(Msg::seq).toList();
    }

    /** The output drop counters, with every reason not named in {@code nonZero} expected to be zero. */
    static void assertOutputDrops(PortMetrics metrics, Map<String, Long> nonZero) {
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String reason : OUTPUT_REASONS) {
            expected.put(reason, nonZero.getOrDefault(reason, 0L));
        }
        assertThat(metrics.droppedByReason()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(metrics.messagesDropped())
                .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Waits (bounded) until {@code t} is parked: waiting on a lock, condition or park. */
    static void awaitParked(Thread t) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(2))
                .until(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }
}
