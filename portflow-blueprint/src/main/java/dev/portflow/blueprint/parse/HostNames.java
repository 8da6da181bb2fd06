package dev.portflow.blueprint.parse;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code server.host} may be: a host name, an IPv4 address or an IPv6 address (without
 * brackets, optionally with a zone). Only the form is checked: whether the name resolves, and to an
 * interface of this machine, is known where the pipeline starts (a failure to start, not a problem
 * of the blueprint).
 */
final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV6 =
            Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");

    private HostNames() {}

    /** Why {@code host} cannot be bound, or {@code null} when its form is fine. */
    static @Nullable String problem(String host) {
        if (host.isBlank()) {
            return "server host must not be empty";
        }
        String bad = "server host '" + host + "' is not a host name or IP address";
        if (host.contains(":")) {
            return IPV6.matcher(host).matches() ? null : bad;
        }
        if (NUMERIC.matcher(host).matches()) {
            return ipv4(host) ? null : bad;
        }
        if (host.length() > 253) {
            return bad;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return bad;
            }
        }
        return null;
    }

    /** A hint for {@link #problem}'s message. */
    static String hint(String host) {
        if (host.startsWith("[")) {
            return "write an IPv6 address without brackets, e.g. host: ::1";
        }
        if (host.contains("://") || host.contains("/")) {
            return "the host name only, e.g. host: localhost; the port goes in port:";
        }
        if (host.matches("[^:]+:[0-9]+")) {
            return "the port goes in port:, e.g. host: " + host.substring(0, host.indexOf(':'));
        }
        return "e.g. host: 127.0.0.1 (this machine only), 0.0.0.0 (every interface), ::1 or a host name";
    }

    private static boolean ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
