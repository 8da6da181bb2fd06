package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.DrainReport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many concurrent clients against a deliberately slow sink: every answer is 202 or 503, and exactly
 * the ids answered 202 reach the sink, each once.
 */
@Timeout(120)
class IngressOverloadTest {

    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 40;

    @Test
    void underOverloadOnlyAcceptedIdsArriveAndEachExactlyOnce() throws Exception {
        IngressSettings settings = IngressSettings.of("/orders").timeout(Duration.ofMillis(20));
        HttpFixture http = new HttpFixture(
                settings,
                null,
                ConnectionOptions.defaults().capacity(16).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                m -> Thread.sleep(1));
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Boolean> acceptedIds = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        HttpResponse<String> response = http.postJson("{\"client\":" + client + ",\"n\":" + r + "}");
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                        if (response.statusCode() == 202) {
                            String id = response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                            assertThat(acceptedIds.put(id, Boolean.TRUE))
                                    .as("id answered twice")
                                    .isNull();
                        } else {
                            assertThat(response.headers().firstValue("Retry-After"))
                                    .isPresent();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        DrainReport report = http.server.drainAndStop(Duration.ofSeconds(30));

        assertThat(report.completed()).isTrue();
        assertThat(statuses.keySet()).isSubsetOf(202, 503);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(statuses.get(503))
                .as("the sink is slow enough to overload the ingress")
                .isPositive();
        assertThat(statuses.get(202)).isPositive();

        Map<String, Integer> arrivals = new HashMap<>();
        for (JsonMessage m : http.received) {
            arrivals.merge(m.id(), 1, Integer::sum);
        }
        assertThat(arrivals.values()).as("no id arrives twice").containsOnly(1);
        assertThat(arrivals.keySet()).isEqualTo(acceptedIds.keySet());
        http.client.close();
    }
}
