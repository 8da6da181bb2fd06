package dev.portflow.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** HTTP over a plain socket, for what {@code java.net.http.HttpClient} cannot send (HTTP/1.0, stalls, raw bytes). */
final class RawHttp {

    private RawHttp() {}

    /**
     * One response as read from the wire.
     *
     * @param statusLine     e.g. {@code HTTP/1.1 200 OK}; empty when nothing came back
     * @param head           status line and headers
     * @param body           the body (per {@code Content-Length})
     * @param closedByServer whether the server closed the connection after the response
     */
    record Response(String statusLine, String head, String body, boolean closedByServer) {

        int status() {
            return statusLine.isEmpty() ? -1 : Integer.parseInt(statusLine.substring(9, 12));
        }

        /** The first value of header {@code name}, or {@code null}. */
        @Nullable
        String header(String name) {
            return headerIn(head, name);
        }
    }

    /** Sends {@code request}, then reads one response and waits (up to {@code wait}) for the server to close. */
    static Response exchange(int port, byte[] request, Duration wait) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readResponse(socket, wait);
        }
    }

    static Response exchange(int port, String request, Duration wait) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.UTF_8), wait);
    }

    /** Reads one response from {@code socket}, then waits (up to {@code wait}, 2 s at most) to see whether the server closes. */
    static Response readResponse(Socket socket, Duration wait) throws IOException {
        return readResponse(socket, wait, Duration.ofMillis(Math.min(wait.toMillis(), 2000)));
    }

    /** Reads one response, waiting up to {@code wait} for it, then up to {@code closeWait} for the server to close. */
    static Response readResponse(Socket socket, Duration wait, Duration closeWait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int headEnd = -1;
        long bodyLength = 0;
        boolean closed = false;
        try {
            byte[] buffer = new byte[8192];
            while (true) {
                if (headEnd >= 0 && received.size() >= headEnd + bodyLength) {
                    break; // a whole response
                }
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                received.write(buffer, 0, n);
                if (headEnd < 0) {
                    String text = received.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end >= 0) {
                        headEnd = end + 4;
                        String length = headerIn(text.substring(0, end), "Content-Length");
                        bodyLength = length == null ? 0 : Long.parseLong(length);
                    }
                }
            }
            if (!closed) {
                // a whole response: does the server close (and nothing else may come)?
                socket.setSoTimeout((int) Math.max(1, closeWait.toMillis()));
                closed = in.read() < 0;
            }
        } catch (SocketTimeoutException stillOpen) {
            // the server kept the connection open (or sent nothing) for the whole wait
        } catch (IOException reset) {
            closed = true;
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (headEnd < 0) {
            return new Response("", text, "", closed);
        }
        String head = received.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd - 4);
        byte[] all = received.toByteArray();
        String body = new String(all, headEnd, all.length - headEnd, StandardCharsets.UTF_8);
        return new Response(head.split("\r\n", 2)[0], head, body, closed);
    }

    /** Whether the server closed {@code socket} (end of stream or reset) within {@code wait}. */
    static boolean closedByServer(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // a response before the close is fine
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static @Nullable String headerIn(String head, String name) {
        for (String line : head.split("\r\n", -1)) { // empty lines have no colon
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
