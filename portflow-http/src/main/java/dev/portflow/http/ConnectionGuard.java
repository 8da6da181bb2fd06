package dev.portflow.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The server's only connection selector: every connection gets Helidon's HTTP/1.1 handling, wrapped
 * to close what Helidon 4.5 leaves open and to keep the liveness probe reachable.
 *
 * <p>What Helidon does not do, and this does:
 * <ul>
 *   <li><b>Read timeout.</b> Helidon's read timeout setting is a client socket option its server
 *       never applies, and its idle check only interrupts a connection that is waiting for a request
 *       line. A client that stops in the middle of its headers or body held the connection forever.
 *       Here every read of a connection is watched: one that waits longer than the read timeout for
 *       the next bytes of a started request, or longer than the idle timeout for a new request, gets
 *       its socket closed (no answer: the client has stopped talking).</li>
 *   <li><b>Connections that never send a byte.</b> Helidon identifies the protocol of a connection
 *       before its idle check sees it; with more than one candidate it waits for the first bytes
 *       forever. Being the only selector, this answers at once, so every connection is watched from
 *       its start.</li>
 *   <li><b>A reserve above the limit.</b> Up to {@link #RESERVE} connections beyond the limit are
 *       accepted to serve a health probe or answer 503 {@code too_many_connections} at once, each held
 *       at most {@link #RESERVE_GRACE}; only beyond those does the operating system's backlog queue
 *       clients. See {@link FirstRequestFilter}, which also serves HTTP/1.0 requests.</li>
 * </ul>
 */
final class ConnectionGuard implements ServerConnectionSelector, AutoCloseable {

    /** Connections accepted beyond the limit, only to answer a health probe or 503. */
    static final int RESERVE = 16;
    /** How long a reserve connection may take to send its request. */
    static final Duration RESERVE_GRACE = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final long NOT_READING = Long.MIN_VALUE;

    private final Http1ConnectionSelector http1;
    private final int maxConnections;
    private final long idleNanos;
    private final long readNanos;
    private final long reserveNanos;
    private final int maxHeadBytes;
    private final Set<String> healthPaths;
    private final AtomicInteger regularConnections = new AtomicInteger();
    private final Set<Guarded> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final ScheduledFuture<?> stalledCheck;

    /**
     * @param http1          Helidon's HTTP/1.1 settings (header size, prologue length)
     * @param maxConnections connections served normally; {@link #RESERVE} more only for health probes and 503s
     * @param idleTimeout    how long a connection may wait for a request
     * @param readTimeout    how long a started request may wait for its next bytes
     * @param healthPaths    what a reserve connection may {@code GET}
     */
    ConnectionGuard(
            Http1Config http1,
            int maxConnections,
            Duration idleTimeout,
            Duration readTimeout,
            Set<String> healthPaths) {
        this.http1 = Http1ConnectionSelector.builder().config(http1).build();
        this.maxConnections = maxConnections;
        this.idleNanos = idleTimeout.toNanos();
        this.readNanos = readTimeout.toNanos();
        this.reserveNanos = Math.min(readNanos, RESERVE_GRACE.toNanos());
        this.maxHeadBytes = http1.maxPrologueLength() + http1.maxHeadersSize();
        this.healthPaths = Set.copyOf(healthPaths);
        long shortest = Math.min(Math.min(idleNanos, readNanos), reserveNanos);
        // a stalled connection is closed at most a quarter of its timeout late
        long period = Math.clamp(shortest / 4, TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(1));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("portflow-http-connection-watchdog")
                .factory());
        this.stalledCheck = watchdog.scheduleAtFixedRate(this::closeStalled, period, period, TimeUnit.NANOSECONDS);
    }

    /** Helidon's own limit: the regular connections plus the reserve. */
    int maxTcpConnections() {
        return maxConnections + RESERVE;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED; // the only selector: Helidon never asks
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        boolean reserve = regularConnections.incrementAndGet() > maxConnections;
        if (reserve) {
            regularConnections.decrementAndGet();
        }
        Guarded connection = new Guarded(ctx, reserve);
        open.add(connection);
        return connection;
    }

    /** Stops watching; the server has stopped. */
    @Override
    public void close() {
        stalledCheck.cancel(false);
        watchdog.shutdownNow();
    }

    private void closeStalled() {
        long now = System.nanoTime();
        for (Guarded connection : open) {
            long since = connection.readingSince;
            if (since != NOT_READING && now - since > connection.allowedWait()) {
                connection.cut(Duration.ofNanos(now - since));
            }
        }
    }

    /** One connection: Helidon's HTTP/1.1 connection reading through a watched, filtered stream. */
    private final class Guarded implements ServerConnection, InterruptableTask<Void> {
        private final ConnectionContext ctx;
        private final boolean reserve;
        private final DataReader source;
        private final FirstRequestFilter filter;
        private final ServerConnection delegate;
        private volatile long readingSince = NOT_READING;

        Guarded(ConnectionContext ctx, boolean reserve) {
            this.ctx = ctx;
            this.reserve = reserve;
            this.source = ctx.dataReader();
            this.filter = new FirstRequestFilter(
                    this::read,
                    reserve,
                    healthPaths,
                    maxHeadBytes,
                    () -> hostOf(ctx.localPeer()),
                    this::answer,
                    this::canInterrupt);
            this.delegate = http1.connection(new FilteredContext(ctx, DataReader.create(filter)));
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                open.remove(this);
                if (!reserve) {
                    regularConnections.decrementAndGet();
                }
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }

        /** The next bytes from the socket, {@code null} at its end; the watchdog sees how long this waits. */
        private byte @Nullable [] read() {
            readingSince = System.nanoTime();
            try {
                source.ensureAvailable();
                return source.readBytes(source.available());
            } catch (DataReader.InsufficientDataAvailableException endOfStream) {
                return null;
            } finally {
                readingSince = NOT_READING;
            }
        }

        /** Idle timeout while waiting for a request; read timeout once one has started; the reserve's grace. */
        private long allowedWait() {
            if (reserve) {
                return reserveNanos;
            }
            return canInterrupt() && !filter.inPartialHead() ? idleNanos : readNanos;
        }

        private void cut(Duration waited) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "closing connection from " + ctx.remotePeer().address() + ": no data for " + waited.toMillis()
                            + " ms");
            try {
                ctx.serverSocket().close(); // the blocked read fails and Helidon ends the connection
            } catch (RuntimeException alreadyClosed) {
                // closed by the client or Helidon meanwhile
            }
        }

        private void answer(byte[] response) {
            ctx.dataWriter().writeNow(BufferData.create(response));
        }
    }

    private static String hostOf(PeerInfo local) {
        String host = local.host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + local.port();
    }

    /** The connection's context with the filtered, watched reader in place of the socket's. */
    private record FilteredContext(ConnectionContext ctx, DataReader dataReader) implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
