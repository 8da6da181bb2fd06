package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP clients posting JSON messages to a process's ingress in the background, each {@code requests} times
 * ({@code {"client": c, "request": r}}), keeping every status answered and the id of every message
 * answered 202 (whose body must name it).
 */
final class PostBurst {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    /** The ids of the messages answered 202. */
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    /** Every status answered. */
    final Set<Integer> statuses = ConcurrentHashMap.newKeySet();

    private final List<Future<?>> clients = new ArrayList<>();

    /**
     * Starts {@code clients} clients on {@code executor}, each posting {@code requests} messages to {@code
     * path} (as {@code /orders}) of the process on {@code port}, {@code pause} apart.
     */
    PostBurst(
            HttpClient client,
            int port,
            String path,
            ExecutorService executor,
            int clients,
            int requests,
            Duration pause) {
        URI target = URI.create("http://127.0.0.1:" + port + path);
        for (int c = 0; c < clients; c++) {
            int clientNo = c;
            this.clients.add(executor.submit(() -> {
                for (int r = 0; r < requests; r++) {
                    HttpResponse<String> response =
                            client.send(order(target, clientNo, r).build(), HttpResponse.BodyHandlers.ofString());
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 202) {
                        Matcher m = ID.matcher(response.body());
                        assertThat(m.find()).isTrue();
                        accepted.add(m.group(1));
                    }
                    if (!pause.isZero()) {
                        Thread.sleep(pause);
                    }
                }
                return null;
            }));
        }
    }

    /**
     * The POST of one JSON message, {@code {"client": clientNo, "request": request}}, to {@code target}: what
     * these clients send, and the posting loops of the crash and outage tests (which add a timeout).
     */
    static HttpRequest.Builder order(URI target, int clientNo, int request) {
        return HttpRequest.newBuilder(target)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client\":" + clientNo + ",\"request\":" + request + "}"));
    }

    /** Waits up to {@code atMost} in all for every client to finish, failing with the first one's failure. */
    void await(Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Future<?> f : clients) {
            f.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
