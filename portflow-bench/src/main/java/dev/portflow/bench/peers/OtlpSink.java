package dev.portflow.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 that takes every export request and drops it: the far end of
 * {@code portflow_traced_otlp}, so that variant pays for turning spans into protobuf and sending them
 * over a real socket, as a traced process does, without a collector to install. It answers each
 * request with 200 and an empty {@code ExportTraceServiceResponse} (all fields default, zero bytes),
 * from one thread, as a collector's receiver would. Its own work runs in the benchmark's process, on
 * the same two cores as the pipeline: a collector on another host would not take that share.
 */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otlp-sink");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    OtlpSink() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the OTLP sink on 127.0.0.1", e);
        }
        server.createContext("/v1/traces", this::take);
        server.setExecutor(handler);
        server.start();
    }

    /** Where the exporter sends spans: {@code http://127.0.0.1:<port>/v1/traces}. */
    String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** Export requests taken so far, and their bytes. */
    String describe() {
        return requests.get() + " OTLP requests, " + bytes.get() + " bytes";
    }

    private void take(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            long n = body.transferTo(OutputStream.nullOutputStream());
            bytes.addAndGet(n);
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handler.shutdownNow();
    }
}
