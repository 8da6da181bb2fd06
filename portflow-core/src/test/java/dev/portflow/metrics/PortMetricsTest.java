package dev.portflow.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON snapshot: the SPEC's field names, first and in order, with consistent values. */
class PortMetricsTest {

    /** SPEC section 2, "JSON snapshot of one port". */
    static final List<String> SPEC_FIELDS = List.of(
            "port_name",
            "component",
            "messages_in_total",
            "messages_out_total",
            "messages_dropped_total",
            "dropped_by_reason",
            "errors_total",
            "queue_depth",
            "capacity",
            "buffer_utilization",
            "avg_latency_ms",
            "p99_latency_ms",
            "avg_message_age_ms",
            "p50_message_age_ms",
            "p99_message_age_ms",
            "max_message_age_ms",
            "oldest_message_age_ms",
            "blocked_duration_ms",
            "last_activity");

    private final OutputPort<String> out = new OutputPort<>("out_text", String.class);
    private final InputPort<String> in = new InputPort<>("in_text", String.class);

    @Test
    void toMapStartsWithExactlyTheSpecFields() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.DROP_NEWEST);
        for (PortMetrics m : List.of(out.metrics(), in.metrics())) {
            Map<String, Object> map = m.toMap();
            List<String> keys = new ArrayList<>(map.keySet());
            assertThat(keys.subList(0, SPEC_FIELDS.size())).containsExactlyElementsOf(SPEC_FIELDS);
            assertThat(keys).doesNotHaveDuplicates();
            // Extra fields come after the SPEC's and are snake_case too.
            for (String extra : keys.subList(SPEC_FIELDS.size(), keys.size())) {
                assertThat(extra).matches("[a-z][a-z0-9_]*");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void valuesMatchTheTraffic() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        out.ticker(ticker);
        in.ticker(ticker);
        out.measurements().component("writer");
        in.measurements().component("reader");
        Ports.connect(out, in, 4, OverflowPolicy.DROP_NEWEST);
        for (int i = 0; i < 6; i++) {
            out.send("m" + i); // 4 accepted, 2 dropped
        }
        ticker.advance(7_000_000); // 7 ms in the buffer
        in.receive();
        in.measurements().processDuration.record(3_000_000); // 3 ms of handling
        in.receive();
        in.measurements().processDuration.record(5_000_000);

        Map<String, Object> o = out.metrics().toMap();
        assertThat(o)
                .containsEntry("port_name", "out_text")
                .containsEntry("component", "writer")
                .containsEntry("messages_out_total", 4L)
                .containsEntry("messages_in_total", 0L)
                .containsEntry("messages_dropped_total", 2L)
                .containsEntry("errors_total", 0L)
                .containsEntry("queue_depth", 2)
                .containsEntry("capacity", 4)
                .containsEntry("buffer_utilization", 0.5)
                .containsEntry("direction", "output");
        assertThat((Map<String, Object>) o.get("dropped_by_reason"))
                .containsEntry("drop_newest", 2L)
                .containsOnlyKeys("drop_newest", "drop_oldest", "timeout", "fail", "closed");

        Map<String, Object> i = in.metrics().toMap();
        assertThat(i)
                .containsEntry("port_name", "in_text")
                .containsEntry("component", "reader")
                .containsEntry("messages_in_total", 2L)
                .containsEntry("messages_out_total", 0L)
                .containsEntry("messages_dropped_total", 0L)
                .containsEntry("queue_depth", 2)
                .containsEntry("direction", "input");
        assertThat((Map<String, Object>) i.get("dropped_by_reason")).containsOnlyKeys("filtered", "invalid");
        assertThat((Double) i.get("avg_latency_ms")).isEqualTo(4.0);
        assertThat((Double) i.get("p99_latency_ms")).isBetween(5.0 * 0.875, 5.0);
        assertThat((Double) i.get("max_message_age_ms")).isEqualTo(7.0);
        assertThat((Double) i.get("oldest_message_age_ms")).isEqualTo(7.0); // two still buffered since the sends
        assertThat((Double) i.get("last_activity"))
                .isEqualTo(ticker.instantAt(ticker.now()).toEpochMilli() / 1000.0);
        assertThat(i.get("errors_by_type")).isEqualTo(Map.of());
    }

    @Test
    void aPortThatNeverCarriedAMessageReadsZeros() {
        Ports.connect(out, in, 4, OverflowPolicy.BLOCK);
        Map<String, Object> i = in.metrics().toMap();
        assertThat(i)
                .containsEntry("messages_in_total", 0L)
                .containsEntry("queue_depth", 0)
                .containsEntry("buffer_utilization", 0.0)
                .containsEntry("avg_latency_ms", 0.0)
                .containsEntry("p99_latency_ms", 0.0)
                .containsEntry("max_message_age_ms", 0.0)
                .containsEntry("oldest_message_age_ms", 0.0)
                .containsEntry("last_activity", 0.0)
                .containsEntry("blocked_duration_ms", 0.0);
    }

    @Test
    void dropReasonTagsAreTheSpecNames() {
        assertThat(java.util.Arrays.stream(DropReason.values()).map(DropReason::tag))
                .containsExactly("drop_newest", "drop_oldest", "timeout", "fail", "filtered", "invalid", "closed");
    }
}
