package dev.portflow.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the dashboard's event stream with a real HTTP client, one parsed frame at a time. */
final class EventStreamClient implements AutoCloseable {

    /** Put in the queue when the server ended the stream. */
    static final JsonNode END = JsonMapper.shared().createObjectNode().put("end", true);

    final HttpResponse<InputStream> response;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    EventStreamClient(HttpClient client, String baseUri) throws IOException, InterruptedException {
        response = client.send(
                HttpRequest.newBuilder(URI.create(baseUri + "/dashboard/events"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "frame".equals(event)) {
                    frames.add(JsonMapper.shared().readTree(line.substring(5).trim()));
                } else if (line.isEmpty()) {
                    event = null;
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
        frames.add(END);
    }

    /** The next frame, {@link #END} when the stream ended, {@code null} if none came within {@code timeout}. */
    JsonNode next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
        reader.interrupt();
    }
}
