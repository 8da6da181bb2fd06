package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.trace.RecentTraces.Stage;
import dev.portflow.trace.RecentTraces.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slowest traced messages as the dashboard serves them, fed with traces (no pipeline needed). */
class TraceListTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS; // a ticker reading

    /** Sampled at its entry: 1.2 ms to enter, then work (waited 168.5 ms, took 70.25 ms) and store. */
    private static final Trace SAMPLED = new Trace(
            "0af7651916cd43dd8448eb211c80319c",
            "sampled",
            T0,
            T0 + 241_004_000L,
            1_764_201_600_123L,
            1_200_000L,
            List.of(
                    new Stage("work", "in_n", T0 + 170 * MS, 168_500_000L, 70_250_000L, false),
                    new Stage("store", "in_n", T0 + 241 * MS, 30_500L, 4_000L, false)));

    /** Traced late at archive, 1.3 s after its origin, where it waited 100 ms and failed after 100 ms. */
    private static final Trace LATE = new Trace(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "slow",
            T0,
            T0 + 1_500 * MS,
            1_764_201_601_000L,
            0,
            List.of(new Stage("archive", "in_x", T0 + 1_400 * MS, 100 * MS, 100 * MS, true)));

    @Test
    void eachTraceHasItsTotalItsEndAndEachStagesStartWaitAndHandlingInMilliseconds() {
        assertThat(Dashboard.MAPPER.writeValueAsString(TraceList.json(true, List.of(LATE, SAMPLED), 10)))
                .isEqualTo("{\"tracing\":true,\"window_s\":300,\"limit\":10,\"traces\":["
                        + "{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"why\":\"slow\",\"total_ms\":1500.0,"
                        + "\"ended_at\":\"2025-11-27T00:00:01Z\",\"entry_ms\":0.0,\"before_ms\":1300.0,\"stages\":["
                        + "{\"component\":\"archive\",\"port\":\"in_x\",\"at_ms\":1300.0,\"wait_ms\":100.0,\"handling_ms\":100.0,"
                        + "\"failed\":true}]},"
                        + "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"why\":\"sampled\",\"total_ms\":241.004,"
                        + "\"ended_at\":\"2025-11-27T00:00:00.123Z\",\"entry_ms\":1.2,\"before_ms\":0.0,\"stages\":["
                        + "{\"component\":\"work\",\"port\":\"in_n\",\"at_ms\":1.5,\"wait_ms\":168.5,\"handling_ms\":70.25,"
                        + "\"failed\":false},"
                        + "{\"component\":\"store\",\"port\":\"in_n\",\"at_ms\":240.97,\"wait_ms\":0.031,\"handling_ms\":0.004,"
                        + "\"failed\":false}]}]}");
    }

    @Test
    void aPipelineThatDoesNotTraceSaysSo() {
        assertThat(Dashboard.MAPPER.writeValueAsString(TraceList.json(null, 5)))
                .isEqualTo("{\"tracing\":false,\"window_s\":300,\"limit\":5,\"traces\":[]}");
    }

    @Test
    void theLimitIsAWholeNumberFromOneServedAsAtMostFifty() {
        assertThat(TraceList.limit(null)).isEqualTo(TraceList.DEFAULT_LIMIT).isEqualTo(10);
        assertThat(TraceList.limit("1")).isEqualTo(1);
        assertThat(TraceList.limit("007")).isEqualTo(7);
        assertThat(TraceList.limit("50")).isEqualTo(50);
        assertThat(TraceList.limit("51")).isEqualTo(TraceList.MAX_LIMIT).isEqualTo(50);
        assertThat(TraceList.limit("99999999999999999999999")).isEqualTo(50);
        for (String bad : List.of("", "0", "000", "-1", "+3", " 3", "1.5", "ten", "1e3")) {
            assertThatThrownBy(() -> TraceList.limit(bad))
                    .as("limit=%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("limit must be a whole number from 1 (at most 50 are listed), was \"" + bad + "\"");
        }
    }
}
