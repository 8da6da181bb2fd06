package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import io.helidon.webserver.http.HttpRouting;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What 400 and 413 bodies say (issue 11, bug 19): a short message with line and column instead of
 * the JSON parser's internals, and the SPEC's JSON body on every 413, however large the body and
 * however it is framed.
 */
@Timeout(60)
class IngressErrorBodiesTest {

    /** Words of Jackson's own messages that must never reach a client. */
    private static final String[] PARSER_INTERNALS = {
        "Source",
        "REDACTED",
        "JsonToken",
        "`",
        "tools.jackson",
        "StreamReadConstraints",
        "Feature",
        "code 125",
        "START_OBJECT",
        "#UNKNOWN"
    };

    @Test
    void malformedJsonIsDescribedWithLineAndColumnAndNoParserInternals() throws Exception {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("{\"id\": \"x\", \"amount\": ", "unexpected end of input at line 1, column 23"),
                Map.entry("{\"a\":\"abc", "unexpected end of input at line 1, column 10"),
                Map.entry("{\"a\":1,\"a\":2}", "duplicate key \\\"a\\\" at line 1, column 11"),
                Map.entry("{} {}", "unexpected data after the JSON value at line 1, column 4"),
                Map.entry("{\"a\":1,}", "unexpected character '}' at line 1, column 8"),
                Map.entry("{\n  \"a\": 1\n  \"b\": 2\n}", "unexpected character '\\\"' at line 3, column 3"),
                Map.entry("{\"a\":tru}", "invalid literal at line 1, column 6"),
                Map.entry("{\"a\":01}", "invalid number at line 1, column 7"),
                Map.entry("{\"a\":\"x\ty\"}", "unescaped control character U+0009 in a string at line 1, column 8"),
                Map.entry("{\"a\":\"\\q\"}", "invalid escape sequence in a string at line 1, column 8"),
                Map.entry("{\"\u00e9\u00e9\":\"\uD83D\uDE00\" x}", "unexpected character 'x' at line 1, column 11"),
                Map.entry("[".repeat(300), "nested deeper than 200 levels"),
                Map.entry("{\"a\":" + "1".repeat(1200) + "}", "a number longer than 1000 characters"),
                Map.entry("", "empty body"),
                Map.entry(" \n ", "empty body"));
        try (HttpFixture http = HttpFixture.simple(null)) {
            for (Map.Entry<String, String> input : expected.entrySet()) {
                HttpResponse<String> response = http.postJson(input.getKey());

                assertThat(response.statusCode()).as(input.getKey()).isEqualTo(400);
                assertThat(response.body())
                        .as(input.getKey())
                        .isEqualTo(
                                "{\"error\":\"invalid_json\",\"message\":\"malformed JSON: " + input.getValue() + "\"}")
                        .doesNotContain(PARSER_INTERNALS);
            }
        }
    }

    @Test
    void aDeclaredBodyAboveTheServersHardCapGetsTheJsonBodyWithoutBeingRead() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            // Only the head is sent: the answer must not wait for 5 MB that never come.
            RawHttp.Response response = RawHttp.exchange(
                    http.server.port(),
                    "POST /orders HTTP/1.1\r\nHost: a\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n",
                    Duration.ofSeconds(5));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.body()).startsWith("{\"error\":\"payload_too_large\",\"message\":\"");

            // Any path: the server's own cap answers the same way.
            RawHttp.Response metrics = RawHttp.exchange(
                    http.server.port(),
                    "POST /metrics HTTP/1.1\r\nHost: a\r\n" + "Content-Length: 5000000\r\n\r\n",
                    Duration.ofSeconds(5));
            assertThat(metrics.status()).isEqualTo(413);
            assertThat(metrics.body()).startsWith("{\"error\":\"payload_too_large\",");
        }
    }

    @Test
    void aDeclaredBodyBetweenTheEndpointsLimitAndTheHardCapIsAnsweredBeforeItIsSent() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            RawHttp.Response response = RawHttp.exchange(
                    http.server.port(),
                    "POST /orders HTTP/1.1\r\nHost: a\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 200000\r\n\r\n",
                    Duration.ofSeconds(2));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body())
                    .isEqualTo("{\"error\":\"payload_too_large\",\"message\":\"body exceeds 65536 bytes\"}");
        }
    }

    @Test
    void aHugeChunkedBodyIsAnswered413AfterTheLimitNotAfterTheWholeBody() throws Exception {
        IngressSettings settings = IngressSettings.of("/orders").maxBodyBytes(1000);
        try (HttpFixture http = new HttpFixture(settings, null, ConnectionOptions.defaults(), m -> {});
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /orders HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String chunk = "{\"pad\":\"" + "x".repeat(4000);
            out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body never ends: a server that reads it all would never answer.

            RawHttp.Response response = RawHttp.readResponse(socket, Duration.ofSeconds(5));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body())
                    .isEqualTo("{\"error\":\"payload_too_large\",\"message\":\"body exceeds 1000 bytes\"}");
        }
    }

    @Test
    void aChunkedBodyAboveTheHardCapGetsTheJsonBodyEvenOnARouteThatReadsEverything() throws Exception {
        try (HttpFixture http = new HttpFixture(
                        IngressSettings.of("/orders"),
                        null,
                        ConnectionOptions.defaults(),
                        m -> {},
                        server -> server.extension(new EchoExtension()));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 24; i++) { // 1.5 MiB, above the server's 1 MiB cap
                    out.write(chunk);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException closedWhileSending) {
                // the server may close once it has answered; the answer is what counts
            }

            RawHttp.Response response = RawHttp.readResponse(socket, Duration.ofSeconds(5));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.body()).startsWith("{\"error\":\"payload_too_large\",\"message\":\"");
        }
    }

    @Test
    void beyondTheConcurrentRequestLimitTheAnswerIsA503WithTheBackpressureBody() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IngressSettings settings = IngressSettings.of("/orders").timeout(Duration.ofSeconds(5));
        try (HttpFixture http = new HttpFixture(
                settings,
                null,
                ConnectionOptions.defaults().capacity(1).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                m -> release.await(),
                server -> server.maxConcurrentRequests(1))) {
            assertThat(http.postJson("{\"n\":1}").statusCode()).isEqualTo(202); // held by the sink
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> http.pipeline
                                    .inputPort("sink", "in_requests")
                                    .metrics()
                                    .queueDepth()
                            == 0);
            assertThat(http.postJson("{\"n\":2}").statusCode()).isEqualTo(202); // fills the buffer
            // The third waits for room, holding the only request permit
            CompletableFuture<HttpResponse<String>> waiting = http.client.sendAsync(
                    HttpRequest.newBuilder(http.uri("/orders"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":3}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            RawHttp.Response refused = Awaitility.await()
                    .atMost(Duration.ofSeconds(4))
                    .until(
                            () -> RawHttp.exchange(
                                    http.server.port(),
                                    "GET /health/live HTTP/1.1\r\nHost: a\r\n" + "Connection: close\r\n\r\n",
                                    Duration.ofSeconds(1)),
                            answer -> answer.status() == 503);

            assertThat(refused.header("Content-Type")).isEqualTo("application/json");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.body())
                    .isEqualTo("{\"error\":\"backpressure\",\"message\":\"System overloaded, please retry\"}");
            release.countDown();
            assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        } finally {
            release.countDown();
        }
    }

    /** {@code POST /echo} reads the whole body, as an extension might. */
    private static final class EchoExtension implements ServerExtension {
        @Override
        public void routing(HttpRouting.Builder routing, Pipeline pipeline) {
            routing.post("/echo", (req, res) -> res.send(req.content().as(byte[].class)));
        }

        @Override
        public boolean claims(String path) {
            return path.equals("/echo");
        }
    }
}
