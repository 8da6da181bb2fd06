package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.runtime.ScalingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's scaling decisions as the dashboard serves them, fed with a list (the autoscaler is not needed). */
class DecisionLogTest {

    private static final Topology.Node ARCHIVE =
            new Topology.Node("archive", "transformer", 2, 0, List.of("in_x"), List.of("out_x"), 1, 16, false);

    private static final List<ScalingDecision> DECISIONS = List.of(
            new ScalingDecision("archive", 1, 2, "busy 98 % of worker time: widening", 1_764_201_600_000L),
            new ScalingDecision("archive", 2, 3, "busy 97 % of worker time: widening", 1_764_201_605_000L));

    @Test
    void framesCarryOnlyTheTimeOfTheLatestDecision() {
        assertThat(DecisionLog.latestTime(List.of())).isNull();
        assertThat(DecisionLog.latestTime(DECISIONS)).isEqualTo(1_764_201_605_000L);
    }

    @Test
    void theEndpointListsTheDecisionsOldestFirstWithTheNodesBounds() {
        assertThat(Dashboard.MAPPER.writeValueAsString(DecisionLog.json(ARCHIVE, DECISIONS)))
                .isEqualTo(
                        "{\"element\":\"archive\",\"workers_min\":1,\"workers_max\":16,\"decisions\":["
                                + "{\"time\":1764201600000,\"from\":1,\"to\":2,\"reason\":\"busy 98 % of worker time: widening\"},"
                                + "{\"time\":1764201605000,\"from\":2,\"to\":3,\"reason\":\"busy 97 % of worker time: widening\"}]}");
        assertThat(Dashboard.MAPPER.writeValueAsString(DecisionLog.json(ARCHIVE, List.of())))
                .isEqualTo("{\"element\":\"archive\",\"workers_min\":1,\"workers_max\":16,\"decisions\":[]}");
    }

    @Test
    void aFrameNamesTheTimeOfTheLatestDecisionAndTheWideningStages() {
        NodeSample archive = new NodeSample("transformer", 0.97, 0.03, 0, 50, 50, 0, 0, 3, 1_764_201_605_000L);
        Scaling scaling = new Scaling(
                "archive", "parse.out_x->archive.in_x", 3, 16, "archive is widening (3 of 16 workers): ...");
        Frame frame = new Frame(
                7,
                1_764_201_606_000L,
                1000,
                "RUNNING",
                java.util.Map.of("archive", archive),
                java.util.Map.of(),
                null,
                List.of(scaling),
                List.of());
        String json = Dashboard.MAPPER.writeValueAsString(frame);
        assertThat(json)
                .contains("\"workers\":3,\"last_decision_ms\":1764201605000")
                .contains(
                        "\"bottleneck\":null,\"scaling\":[{\"component\":\"archive\",\"edge\":\"parse.out_x->archive.in_x\","
                                + "\"workers\":3,\"workers_max\":16,\"reason\":\"archive is widening (3 of 16 workers): ...\"}]");
    }
}
