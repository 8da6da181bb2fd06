package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.Workers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: an api_endpoint in front of a 5 ms stage with workers {1, 16}, driven at about 5x what
 * one worker drains. The stage widens, the 503 share falls to near 0, Retry-After follows the faster
 * drain, no 5xx, and every message answered 202 reaches the sink exactly once.
 */
@Timeout(120)
class AutoscaledIngressTest {

    @Test
    void anHttpFedStageWidensUntilThe503sStop() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, Integer> stored = new ConcurrentHashMap<>();
        ApiEndpoint<JsonMessage> api =
                ApiEndpoint.json(IngressSettings.of("/events").timeout(Duration.ofMillis(100)));
        Pipeline pipeline = Pipeline.builder("http_scaling")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .transformer(
                        "slow", JsonMessage.class, JsonMessage.class, (JsonMessage m, Emitter<JsonMessage> out) -> {
                            Thread.sleep(5);
                            out.emit(m);
                        })
                .sink("store", JsonMessage.class, m -> stored.merge(m.id(), 1, Integer::sum))
                .connect(
                        "api.out_requests",
                        "slow.in_events",
                        ConnectionOptions.defaults().capacity(256).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT))
                .connect("slow.out_events", "store.in_events")
                .workers("slow", Workers.between(1, 16))
                .build();
        PortflowServer server = PortflowServer.builder(pipeline).port(0).build().start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(api.ingress()::isAccepting);
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI events = URI.create(server.baseUri() + "/events");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<int[]> perSecond = new ArrayList<>(); // {202, 503} per second
        AtomicLong ok = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        Set<String> lateRetryAfter = ConcurrentHashMap.newKeySet();
        int seconds = 25;
        long start = System.nanoTime();
        try {
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < 50; c++) { // 50 senders x 20/s = 1,000 requests a second
                int sender = c;
                senders.add(Thread.ofVirtual().start(() -> {
                    long next = System.nanoTime() + sender * 1_000_000L;
                    for (int r = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); r++) {
                        // Paced, never catching up: a sender behind schedule (a slow answer, a slow
                        // host) skips the slots it missed instead of catching up in a burst, so the
                        // offered load never tops 20 requests a second per sender.
                        next = Math.max(next + 50_000_000L, System.nanoTime());
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        try {
                            HttpResponse<String> response = client.send(
                                    HttpRequest.newBuilder(events)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(
                                                    "{\"s\":" + sender + ",\"r\":" + r + "}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (response.statusCode() == 202) {
                                accepted.add(response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
                                ok.incrementAndGet();
                            } else if (response.statusCode() == 503) {
                                busy.incrementAndGet();
                                String retryAfter = response.headers()
                                        .firstValue("Retry-After")
                                        .orElse("missing");
                                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(15)) {
                                    lateRetryAfter.add(retryAfter);
                                }
                            }
                        } catch (Exception e) {
                            statuses.computeIfAbsent(-1, k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                }));
            }
            long lastOk = 0;
            long lastBusy = 0;
            for (int s = 1; s <= seconds; s++) {
                long wait = start + TimeUnit.SECONDS.toNanos(s) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long o = ok.get();
                long b = busy.get();
                perSecond.add(new int[] {(int) (o - lastOk), (int) (b - lastBusy)});
                lastOk = o;
                lastBusy = b;
            }
            for (Thread t : senders) {
                t.join();
            }
        } finally {
            server.drainAndStop(Duration.ofSeconds(30));
            client.close();
        }
        StringBuilder trace = new StringBuilder("per second {202, 503}: ");
        perSecond.forEach(
                p -> trace.append('{').append(p[0]).append(", ").append(p[1]).append("} "));
        trace.append("; statuses ").append(statuses).append("; decisions ").append(pipeline.scalingDecisions("slow"));

        assertThat(statuses.keySet()).as(trace.toString()).isSubsetOf(202, 503);
        int lastOks = 0;
        int lastBusies = 0;
        for (int[] p : perSecond.subList(seconds - 5, seconds)) {
            lastOks += p[0];
            lastBusies += p[1];
        }
        assertThat((double) lastBusies / (lastOks + lastBusies))
                .as("503 share in the last 5 s: " + trace)
                .isLessThan(0.02);
        assertThat(pipeline.scalingDecisions("slow")).as(trace.toString()).isNotEmpty();
        assertThat(pipeline.scalingDecisions("slow").getLast().to()).isGreaterThanOrEqualTo(5);
        assertThat(lateRetryAfter).as("Retry-After once widened: " + trace).isSubsetOf("1");
        assertThat(stored.keySet()).as("every 202 stored").isEqualTo(accepted);
        assertThat(stored.values()).as("exactly once").containsOnly(1);
    }
}
