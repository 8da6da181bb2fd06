package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle and half-sent connections cannot lock the server up (issue 11, bug 4): they are closed once
 * the idle or read timeout expires, and up to the connection limit the liveness probe still
 * answers. Small limits and one-second timeouts keep this bounded (well under 30 s).
 */
@Timeout(60)
class ConnectionLimitsTest {

    private static final int LIMIT = 64;

    @Test
    void idleAndStalledConnectionsAreClosedByTheServerAndNewClientsGetIn() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (HttpFixture http = fixture(server ->
                server.maxConnections(LIMIT).idleTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1)))) {
            int port = http.server.port();
            for (int i = 0; i < LIMIT; i++) {
                sockets.add(new Socket(InetAddress.getLoopbackAddress(), port)); // sends nothing
                sockets.add(halfSent(
                        port,
                        "POST /orders HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 100\r\n\r\n{\"a\""));
                if (i % 4 == 0) {
                    sockets.add(halfSent(port, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{\"a\""));
                    sockets.add(halfSent(port, "GET /health/live HTTP/1.1\r\nHost: a\r\nX-Slow: "));
                    sockets.add(halfSent(port, "GET /health/li"));
                }
            }
            long start = System.nanoTime();

            RawHttp.Response live =
                    RawHttp.exchange(port, "GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n", Duration.ofSeconds(5));
            assertThat(live.status())
                    .as("liveness while %d connections are open", sockets.size())
                    .isEqualTo(200);

            long deadline = start + Duration.ofSeconds(10).toNanos();
            int stillOpen = 0;
            for (Socket socket : sockets) {
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                if (!RawHttp.closedByServer(socket, left)) {
                    stillOpen++;
                }
            }
            assertThat(stillOpen)
                    .as("connections the server left open of %d", sockets.size())
                    .isZero();
            assertThat(http.postJson("{\"after\":\"the flood\"}").statusCode()).isEqualTo(202);
            assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void atTheConnectionLimitLivenessStillAnswersAndOthersGetA503AtOnce() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        // Timeouts far beyond the test: only the reserve can let these requests in.
        try (HttpFixture http = fixture(server ->
                server.maxConnections(8).idleTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ofSeconds(60)))) {
            int port = http.server.port();
            for (int i = 0; i < 8; i++) { // one after the other, each served and kept alive: the 8 regular slots
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                sockets.add(socket);
                socket.getOutputStream()
                        .write("GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response served = RawHttp.readResponse(socket, Duration.ofSeconds(5), Duration.ofMillis(1));
                assertThat(served.status()).isEqualTo(200);
                assertThat(served.closedByServer()).isFalse();
            }

            RawHttp.Response live =
                    RawHttp.exchange(port, "GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n", Duration.ofSeconds(3));
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(live.closedByServer())
                    .as("a reserve connection serves one request")
                    .isTrue();

            RawHttp.Response ready =
                    RawHttp.exchange(port, "GET /health/ready HTTP/1.0\r\n\r\n", Duration.ofSeconds(3));
            assertThat(ready.status()).isEqualTo(200);

            String body = "{\"n\":1}";
            RawHttp.Response refused = RawHttp.exchange(
                    port,
                    "POST /orders HTTP/1.1\r\nHost: a\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n" + body,
                    Duration.ofSeconds(3));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.body()).startsWith("{\"error\":\"too_many_connections\",\"message\":\"");
            assertThat(refused.closedByServer()).isTrue();

            closeAll(sockets);
            sockets.clear();
            // The server frees a slot when it sees the close, a moment after the client's close
            // returns: until then a request may still get the 503, as a client would, then a 202.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> http.postJson(body).statusCode(), status -> status == 202);
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void aSlowButSteadyClientIsNotCutOff() throws Exception {
        try (HttpFixture http = fixture(server -> server.readTimeout(Duration.ofSeconds(1)));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.server.port())) {
            String body = "{\"slow\":1}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST /orders HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // 10 bytes over ~3 s: each read waits 300 ms, under the 1 s timeout
            for (int i = 0; i < body.length(); i++) {
                Thread.sleep(300);
                out.write(body.charAt(i));
                out.flush();
            }

            RawHttp.Response response = RawHttp.readResponse(socket, Duration.ofSeconds(5));

            assertThat(response.status()).isEqualTo(202);
        }
    }

    private static HttpFixture fixture(Consumer<PortflowServer.Builder> limits) {
        return new HttpFixture(IngressSettings.of("/orders"), null, ConnectionOptions.defaults(), m -> {}, limits);
    }

    private static Socket halfSent(int port, String start) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}
