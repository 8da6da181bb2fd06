package dev.portflow.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where the server is to listen, checked before Helidon is asked to: Helidon logs a failed bind
 * with a stack trace and carries on as a server that is not running (port -1), where an operator
 * needs one clear sentence and nothing started.
 *
 * @param host    the configured host, as the operator wrote it
 * @param address what it resolves to
 * @param port    the port, 0 for any free one
 */
record ListenAddress(String host, InetAddress address, int port) {

    /**
     * Resolves {@code host} and checks that {@code port} can be bound on it, by binding it once.
     *
     * @throws ServerStartException saying what is wrong
     */
    static ListenAddress check(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ServerStartException("host " + host + " cannot be resolved to an address", e);
        }
        ListenAddress where = new ListenAddress(host, address, port);
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Helidon binds: a port left in TIME_WAIT is free
            probe.bind(new InetSocketAddress(address, port), 1);
        } catch (IOException e) {
            throw where.failure(e);
        }
        return where;
    }

    /** An operator's sentence for a failed bind; the operating system's words when they are not known here. */
    ServerStartException failure(IOException e) {
        String reason = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof BindException && reason.contains("in use")) {
            return new ServerStartException("port " + port + " on " + host + " is in use", e);
        }
        if (e instanceof BindException && reason.contains("assign requested address")) {
            return new ServerStartException(
                    "cannot listen on " + host + " port " + port + ": the address is not one of this machine's", e);
        }
        if (e instanceof BindException && reason.contains("permission denied")) {
            return new ServerStartException(
                    "no permission to listen on port " + port + " on " + host + " (ports below 1024 need privileges)",
                    e);
        }
        return new ServerStartException("cannot listen on " + host + " port " + port + ": " + e.getMessage(), e);
    }
}
