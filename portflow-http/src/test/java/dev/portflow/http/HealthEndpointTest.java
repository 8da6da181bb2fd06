package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11: a sink that fails every message is never silent. Health says DEGRADED with the reason
 * (liveness and readiness stay 200: restarting does not fix a full disk), and the degraded gauge is 1.
 */
@Timeout(60)
class HealthEndpointTest {

    @Test
    void healthSaysDegradedWithTheReasonWhileTheSinkFailsEveryMessage() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        try (HttpFixture http = new HttpFixture(
                IngressSettings.of("/orders"),
                null,
                ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                m -> {
                    if (broken.get()) {
                        throw new java.io.IOException("No space left on device");
                    }
                })) {
            assertThat(http.get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            for (int i = 0; i < 12; i++) {
                assertThat(http.postJson("{\"n\":" + i + "}").statusCode()).isEqualTo(202);
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> http.get("/health/live").body().contains("the last 12 messages"));

            HttpResponse<String> live = http.get("/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body())
                    .isEqualTo("{\"status\":\"DEGRADED\",\"problems\":[{\"component\":\"sink\","
                            + "\"reason\":\"the last 12 messages failed (IOException: No space left on device)\"}]}");
            HttpResponse<String> ready = http.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).startsWith("{\"status\":\"DEGRADED\",\"pipeline\":\"RUNNING\",\"problems\":[");
            assertThat(http.get("/metrics").body())
                    .contains("portflow_component_degraded{component=\"sink\",pipeline=\"http_test\"} 1.0");

            broken.set(false);
            assertThat(http.postJson("{\"n\":99}").statusCode()).isEqualTo(202);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> http.get("/health/live").body().equals("{\"status\":\"UP\"}"));
            assertThat(http.get("/health/ready").body()).isEqualTo("{\"status\":\"UP\",\"pipeline\":\"RUNNING\"}");
        }
    }
}
