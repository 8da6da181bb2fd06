package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.0 clients ({@code ab}, some proxies and probes) get real answers (issue 11, bug 3): an
 * HTTP/1.1 response, as RFC 9112 section 2.5 allows, and the connection closed after it.
 */
@Timeout(60)
class Http10Test {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void healthAnswersAnHttp10RequestAndClosesTheConnection() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            RawHttp.Response response = RawHttp.exchange(http.server.port(), "GET /health/live HTTP/1.0\r\n\r\n", WAIT);

            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(response.closedByServer()).isTrue();
        }
    }

    @Test
    void anHttp10PostReachesThePipelineEvenWhenTheClientAsksForKeepAlive() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            String body = "{\"n\":1}";
            RawHttp.Response response = RawHttp.exchange(
                    http.server.port(),
                    "POST /orders HTTP/1.0\r\n"
                            + "Content-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: "
                            + body.length()
                            + "\r\n\r\n" + body,
                    WAIT);

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.body()).startsWith("{\"status\":\"accepted\",\"message\":\"Request queued\",\"id\":\"");
            assertThat(response.closedByServer())
                    .as("one request per HTTP/1.0 connection")
                    .isTrue();
            Awaitility.await().atMost(WAIT).until(() -> http.received.size() == 1);
            assertThat(http.received.get(0).fields()).containsEntry("n", 1);
        }
    }

    @Test
    void anHttp10RequestIsAnsweredLikeAnyOtherWhenItIsRefused() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            int port = http.server.port();
            RawHttp.Response notJson = RawHttp.exchange(
                    port,
                    "POST /orders HTTP/1.0\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{\"a",
                    WAIT);
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.body()).startsWith("{\"error\":\"invalid_json\"");

            // 20 000 of the 100 000 bytes come along: answered at once, and none is taken for a next request
            RawHttp.Response tooLarge = RawHttp.exchange(
                    port,
                    "POST /orders HTTP/1.0\r\n" + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                            + "x".repeat(20_000),
                    WAIT);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).startsWith("{\"error\":\"payload_too_large\"");
            assertThat(tooLarge.closedByServer())
                    .as("closed after the 413, with no second answer")
                    .isTrue();

            RawHttp.Response notFound = RawHttp.exchange(
                    port,
                    "POST /nowhere HTTP/1.0\r\nContent-Length: 40\r\n\r\n"
                            + "GET /health/live HTTP/1.0\r\n\r\n".repeat(2).substring(0, 40),
                    WAIT);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.closedByServer())
                    .as("an unread body is not taken for a next request")
                    .isTrue();

            RawHttp.Response chunked = RawHttp.exchange(
                    port,
                    "POST /orders HTTP/1.0\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                    WAIT);
            assertThat(chunked.status())
                    .as("RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing")
                    .isEqualTo(400);
            assertThat(chunked.closedByServer()).isTrue();

            assertThat(RawHttp.exchange(port, "GET /metrics HTTP/1.0\r\n\r\n", WAIT)
                            .body())
                    .contains("portflow_ingress_requests_total");
            assertThat(http.received).isEmpty();
        }
    }
}
