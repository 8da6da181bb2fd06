package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Garbage on the wire: raw bytes, oversized headers, broken framing. The server may answer 4xx or
 * close the connection, never a 5xx, never a hang; and it stays healthy afterwards.
 */
@Timeout(60)
class MalformedHttpTest {

    @Test
    void garbageIsRefusedWithoutA5xxAndTheServerStaysHealthy() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            Random random = new Random(42);
            byte[] noise = new byte[2048];
            random.nextBytes(noise);
            List<byte[]> inputs = List.of(
                    noise,
                    "GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    ("POST /orders HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII),
                    "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}"
                            .getBytes(StandardCharsets.US_ASCII),
                    "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII),
                    "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\""
                            .getBytes(StandardCharsets.US_ASCII),
                    "POST /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] input : inputs) {
                String answer = exchange(http.server.port(), input);
                if (answer.startsWith("HTTP/")) {
                    int status = Integer.parseInt(answer.substring(9, 12));
                    assertThat(status)
                            .as(
                                    "answer to %s",
                                    new String(input, 0, Math.min(40, input.length), StandardCharsets.ISO_8859_1))
                            .isBetween(400, 499);
                }
            }
            assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(http.postJson("{\"after\":\"garbage\"}").statusCode()).isEqualTo(202);
            // the 202 means queued; the sink takes it on its own thread
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> http.received.size() == 1);
            assertThat(http.received).hasSize(1);
        }
    }

    /** Sends raw bytes, returns whatever comes back within 5 s (empty if the server just closed). */
    private static String exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server may close while we still write a huge header: that is a fine answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("the server neither answered nor closed within 5 s", hung);
            } catch (IOException reset) {
                // connection reset: also a refusal
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
